import { createHash } from 'node:crypto';
import type { KubeObject } from '../object-store.js';
import type { ResourceType } from '../resource-catalog.js';
import { pickNode, schedulableNodes } from './volume-scheduler.js';
import {
  mustType,
  ownedBy,
  ownerReference,
  randomSuffix,
  timestamp,
  updateIfChanged,
  type Controller,
  type ControllerContext,
} from './controller-context.js';
import { recordEvent } from './storage-objects.js';
import { failingProbe, workloadOf } from './workload-faults.js';
import { jobs } from './jobs.js';
import { newPod } from './new-pod.js';

function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}

function nodeNames(ctx: ControllerContext): string[] {
  const names = ctx.store.list(mustType(ctx, 'Node')).map((node) => node.metadata.name as string);
  return names.length ? names : ['sandbox-node-1'];
}

/**
 * Pods owned by `owner`, scaled to `replicas`; extra pods are removed newest first. With a
 * `revision` (DaemonSets, StatefulSets), a pod of an older template is replaced, as their rolling
 * update does: the new pod then starts, or not, as its images and probes allow.
 */
function scalePods(
  ctx: ControllerContext,
  owner: KubeObject,
  replicas: number,
  podName: (index: number) => string,
  nodeFor: (made: number, existing: KubeObject[]) => string | undefined,
  revision?: string,
): { pods: KubeObject[]; changed: number } {
  const podType = mustType(ctx, 'Pod');
  let changed = 0;
  const ownedPods = () => ctx.store.list(podType, owner.metadata.namespace).filter((pod) => ownedBy(pod, owner));
  let pods = ownedPods();
  if (revision !== undefined)
    for (const stale of pods.filter((pod) => pod.metadata.labels?.[revisionLabel] !== revision)) {
      ctx.store.delete(podType, owner.metadata.namespace, stale.metadata.name);
      changed += 1;
    }
  if (changed) pods = ownedPods();
  const template = structuredClone(owner.spec.template ?? {});
  if (revision !== undefined)
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [revisionLabel]: revision } };
  // A StatefulSet's pods keep their ordinal names: a replaced pod comes back under the name it had.
  const taken = new Set(pods.map((pod) => pod.metadata.name));
  for (let ordinal = 0, made = 0; pods.length + made < replicas; ordinal += 1) {
    const name = podName(ordinal);
    if (taken.has(name)) continue;
    changed += newPod(ctx, owner, template, name, nodeFor(made, pods));
    made += 1;
  }
  for (const extra of pods.slice(replicas)) {
    ctx.store.delete(podType, owner.metadata.namespace, extra.metadata.name);
    changed += 1;
  }
  if (changed) pods = ownedPods();
  return { pods, changed };
}

/** The label DaemonSets and StatefulSets put on each pod: the template revision it was made from. */
const revisionLabel = 'controller-revision-hash';

const ready = (pod: KubeObject) =>
  pod.status?.phase === 'Running' &&
  (pod.status.conditions ?? []).some(
    (condition: { type: string; status: string }) => condition.type === 'Ready' && condition.status === 'True',
  );

/** Pods start once every claim they mount is Bound, on a node, and report Ready. */
const pods: Controller = (ctx) => {
  const podType = mustType(ctx, 'Pod');
  const pvcType = mustType(ctx, 'PersistentVolumeClaim');
  const nodes = nodeNames(ctx);
  let changed = 0;
  for (const pod of ctx.store.list(podType)) {
    if (['Running', 'Succeeded', 'Failed'].includes(pod.status?.phase)) continue;
    const claims = (pod.spec?.volumes ?? [])
      .map((volume: { persistentVolumeClaim?: { claimName: string } }) => volume.persistentVolumeClaim?.claimName)
      .filter(Boolean) as string[];
    const unbound = claims.filter(
      (claim) => ctx.store.find(pvcType, pod.metadata.namespace, claim)?.status?.phase !== 'Bound',
    );
    const now = timestamp();
    if (unbound.length) {
      const waiting = {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: `persistentvolumeclaim "${unbound[0]}" not bound`,
          },
        ],
      };
      changed += updateIfChanged(ctx, podType, pod, { ...pod, status: waiting });
      continue;
    }
    const nodeName =
      pod.spec?.nodeName ?? pickNode(pod, schedulableNodes(ctx, pod.spec), () => true)?.metadata.name ?? nodes[0];
    const containers = (pod.spec?.containers ?? []) as { name: string; image?: string }[];
    const pullFailure = imagePullFailure(ctx, pod, nodeName);
    if (pullFailure !== undefined) {
      changed += pullFailure;
      continue;
    }
    if (ctx.workloads?.notReady.includes(workloadOf(ctx, pod))) {
      changed += failingProbe(ctx, pod, nodeName, containers, podIP(pod));
      continue;
    }
    changed += updateIfChanged(ctx, podType, pod, {
      ...pod,
      spec: { ...pod.spec, nodeName },
      status: {
        phase: 'Running',
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
          type,
          status: 'True',
          lastTransitionTime: now,
        })),
        hostIP: '10.0.0.10',
        podIP: podIP(pod),
        startTime: now,
        containerStatuses: containers.map((container) => ({
          name: container.name,
          image: container.image ?? '',
          imageID: '',
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        })),
      },
    });
  }
  return changed;
};

/** A container's status while it has not started. */
function notStarted(container: { name: string; image?: string }, state: object) {
  return {
    name: container.name,
    image: container.image ?? '',
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state,
  };
}

/**
 * The kubelet's image pulls: init containers first, in order (the first whose image does not pull
 * holds the pod there), then the containers. How many objects it changed, or undefined when every
 * image pulls.
 */
export function imagePullFailure(
  ctx: ControllerContext,
  pod: KubeObject,
  nodeName: string | undefined,
): number | undefined {
  const missing = (container: { image?: string }) => ctx.imageAvailable && !ctx.imageAvailable(container.image ?? '');
  const containers = (pod.spec?.containers ?? []) as { name: string; image?: string }[];
  const initContainers = (pod.spec?.initContainers ?? []) as { name: string; image?: string }[];
  const blockedAt = initContainers.findIndex(missing);
  if (blockedAt >= 0) return cannotPullInit(ctx, pod, nodeName, initContainers, blockedAt, containers);
  const unpullable = containers.filter(missing);
  if (unpullable.length)
    return cannotPull(ctx, pod, nodeName, containers, new Set(unpullable.map((container) => container.name)));
  return undefined;
}

/** As the kubelet does with an image the registry does not have: the pod stays Pending in ImagePullBackOff, with Failed and BackOff events. */
function cannotPull(
  ctx: ControllerContext,
  pod: KubeObject,
  nodeName: string | undefined,
  containers: { name: string; image?: string }[],
  unpullable: Set<string>,
): number {
  const now = timestamp();
  const waiting = (container: { name: string; image?: string }) =>
    unpullable.has(container.name)
      ? { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` }
      : { reason: 'PodInitializing' };
  const status = {
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${[...unpullable].join(' ')}]`,
        lastTransitionTime: now,
      },
    ],
    hostIP: '10.0.0.10',
    containerStatuses: containers.map((container) => notStarted(container, { waiting: waiting(container) })),
  };
  if (
    pod.status?.phase === 'Pending' &&
    JSON.stringify(pod.status?.containerStatuses?.map((s: any) => s.state)) ===
      JSON.stringify(status.containerStatuses.map((s) => s.state))
  )
    return 0;
  let changed = updateIfChanged(ctx, mustType(ctx, 'Pod'), pod, {
    ...pod,
    spec: { ...pod.spec, ...(nodeName ? { nodeName } : {}) },
    status,
  });
  for (const container of containers.filter((each) => unpullable.has(each.name)))
    changed += pullFailureEvents(ctx, pod, container.image ?? '');
  return changed;
}

/** The kubelet's two events for an image the registry does not have. */
function pullFailureEvents(ctx: ControllerContext, pod: KubeObject, image: string): number {
  return (
    recordEvent(
      ctx,
      pod,
      'Warning',
      'Failed',
      `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`,
      'kubelet',
    ) + recordEvent(ctx, pod, 'Warning', 'BackOff', `Back-off pulling image "${image}"`, 'kubelet')
  );
}

/** An init container's image does not pull: the ones before it completed, it backs off, the rest and every container wait (`Init:ImagePullBackOff`). */
function cannotPullInit(
  ctx: ControllerContext,
  pod: KubeObject,
  nodeName: string | undefined,
  initContainers: { name: string; image?: string }[],
  blockedAt: number,
  containers: { name: string; image?: string }[],
): number {
  const now = timestamp();
  const blocked = initContainers[blockedAt]!;
  const pending = initContainers.slice(blockedAt).map((container) => container.name);
  const initContainerStatuses = initContainers.map((container, index) =>
    notStarted(
      container,
      index < blockedAt
        ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } }
        : index === blockedAt
          ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${container.image}"` } }
          : { waiting: { reason: 'PodInitializing' } },
    ),
  );
  if (
    pod.status?.phase === 'Pending' &&
    JSON.stringify(pod.status?.initContainerStatuses?.map((each: any) => each.state)) ===
      JSON.stringify(initContainerStatuses.map((each) => each.state))
  )
    return 0;
  const changed = updateIfChanged(ctx, mustType(ctx, 'Pod'), pod, {
    ...pod,
    spec: { ...pod.spec, ...(nodeName ? { nodeName } : {}) },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: `containers with incomplete status: [${pending.join(' ')}]`,
          lastTransitionTime: now,
        },
        {
          type: 'Ready',
          status: 'False',
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${containers.map((container) => container.name).join(' ')}]`,
          lastTransitionTime: now,
        },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      ],
      hostIP: '10.0.0.10',
      initContainerStatuses,
      containerStatuses: containers.map((container) =>
        notStarted(container, { waiting: { reason: 'PodInitializing' } }),
      ),
    },
  });
  return changed + pullFailureEvents(ctx, pod, blocked.image ?? '');
}

const podIP = (pod: KubeObject) => `10.233.64.${(Math.abs(hashCode(pod.metadata.uid)) % 250) + 2}`;

function hashCode(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return hash;
}

/** A Deployment rolls out through a ReplicaSet labelled with its template's hash, as kubectl and helm 3 look for. */
const deployments: Controller = (ctx) => {
  const deploymentType = mustType(ctx, 'Deployment');
  const replicaSetType = mustType(ctx, 'ReplicaSet');
  let changed = 0;
  for (const deployment of ctx.store.list(deploymentType)) {
    const hash = templateHash(deployment.spec?.template);
    const replicas = deployment.spec?.replicas ?? 1;
    const owned = ctx.store.list(replicaSetType, deployment.metadata.namespace).filter((rs) => ownedBy(rs, deployment));
    let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const revision = String(
      Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0))) +
        (current ? 0 : 1),
    );
    if (!current) {
      const template = structuredClone(deployment.spec?.template ?? {});
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
      current = ctx.store.create(replicaSetType, deployment.metadata.namespace, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${deployment.metadata.name}-${hash}`,
          namespace: deployment.metadata.namespace,
          labels: { ...deployment.spec?.template?.metadata?.labels, 'pod-template-hash': hash },
          annotations: {
            'deployment.kubernetes.io/revision': revision,
            'deployment.kubernetes.io/desired-replicas': String(replicas),
          },
          ownerReferences: [ownerReference(deployment)],
        },
        spec: {
          replicas,
          selector: { matchLabels: { ...deployment.spec?.selector?.matchLabels, 'pod-template-hash': hash } },
          template,
        },
      });
      changed += 1;
    }
    for (const old of owned.filter((rs) => rs.metadata.uid !== current!.metadata.uid && rs.spec.replicas !== 0)) {
      changed += updateIfChanged(ctx, replicaSetType, old, { ...old, spec: { ...old.spec, replicas: 0 } });
    }
    if (current.spec.replicas !== replicas) {
      changed += updateIfChanged(ctx, replicaSetType, current, { ...current, spec: { ...current.spec, replicas } });
      current = ctx.store.get(replicaSetType, current.metadata.namespace, current.metadata.name);
    }
    const readyCount = current.status?.readyReplicas ?? 0;
    const status = {
      observedGeneration: deployment.metadata.generation,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: readyCount,
      availableReplicas: readyCount,
      ...(readyCount < replicas ? { unavailableReplicas: replicas - readyCount } : {}),
      conditions: [
        {
          type: 'Available',
          status: readyCount >= replicas ? 'True' : 'False',
          reason: readyCount >= replicas ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message:
            readyCount >= replicas
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: readyCount >= replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          message: `ReplicaSet "${current.metadata.name}" ${readyCount >= replicas ? 'has successfully progressed' : 'is progressing'}.`,
        },
      ],
    };
    const annotated = {
      ...deployment,
      metadata: {
        ...deployment.metadata,
        annotations: {
          ...deployment.metadata.annotations,
          'deployment.kubernetes.io/revision':
            current.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? revision,
        },
      },
    };
    changed += updateIfChanged(
      ctx,
      deploymentType,
      deployment,
      sameConditionTimes(deployment, { ...annotated, status }),
    );
  }
  return changed;
};

/** Keeps condition timestamps stable so an unchanged status is not rewritten every pass. */
function sameConditionTimes(current: KubeObject, next: KubeObject): KubeObject {
  const now = timestamp();
  const previous = new Map(
    (
      (current.status?.conditions ?? []) as {
        type: string;
        status: string;
        lastTransitionTime?: string;
        lastUpdateTime?: string;
      }[]
    ).map((condition) => [condition.type, condition]),
  );
  next.status.conditions = next.status.conditions.map((condition: { type: string; status: string }) => {
    const before = previous.get(condition.type);
    const time = before && before.status === condition.status ? (before.lastTransitionTime ?? now) : now;
    return {
      ...condition,
      lastTransitionTime: time,
      lastUpdateTime: before && before.status === condition.status ? (before.lastUpdateTime ?? time) : now,
    };
  });
  return next;
}

function podSetStatus(
  ctx: ControllerContext,
  type: ResourceType,
  owner: KubeObject,
  replicas: number,
  podName: (index: number) => string,
  nodeFor: (made: number, existing: KubeObject[]) => string | undefined,
  status: (readyCount: number, total: number) => Record<string, unknown>,
  revision?: string,
): number {
  const { pods: owned, changed } = scalePods(ctx, owner, replicas, podName, nodeFor, revision);
  const readyCount = owned.filter(ready).length;
  const fresh = changed ? ctx.store.get(type, owner.metadata.namespace, owner.metadata.name) : owner;
  return changed + updateIfChanged(ctx, type, fresh, { ...fresh, status: status(readyCount, owned.length) });
}

const replicaSets: Controller = (ctx) => {
  const type = mustType(ctx, 'ReplicaSet');
  let changed = 0;
  for (const rs of ctx.store.list(type)) {
    const replicas = rs.spec?.replicas ?? 1;
    changed += podSetStatus(
      ctx,
      type,
      rs,
      replicas,
      () => `${rs.metadata.name}-${randomSuffix()}`,
      () => undefined,
      (readyCount, total) => ({
        observedGeneration: rs.metadata.generation,
        replicas: total,
        fullyLabeledReplicas: total,
        readyReplicas: readyCount,
        availableReplicas: readyCount,
      }),
    );
  }
  return changed;
};

const statefulSets: Controller = (ctx) => {
  const type = mustType(ctx, 'StatefulSet');
  let changed = 0;
  for (const set of ctx.store.list(type)) {
    const replicas = set.spec?.replicas ?? 1;
    const revision = `${set.metadata.name}-${templateHash(set.spec?.template)}`;
    changed += podSetStatus(
      ctx,
      type,
      set,
      replicas,
      (index) => `${set.metadata.name}-${index}`,
      () => undefined,
      (readyCount, total) => ({
        observedGeneration: set.metadata.generation,
        replicas: total,
        readyReplicas: readyCount,
        currentReplicas: total,
        updatedReplicas: total,
        availableReplicas: readyCount,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      }),
      revision,
    );
  }
  return changed;
};

/** A DaemonSet runs a pod on each node whose taints its pod template tolerates. */
const daemonSets: Controller = (ctx) => {
  const type = mustType(ctx, 'DaemonSet');
  let changed = 0;
  for (const set of ctx.store.list(type)) {
    const nodes = schedulableNodes(ctx, set.spec?.template?.spec).map((node) => String(node.metadata.name));
    changed += podSetStatus(
      ctx,
      type,
      set,
      nodes.length,
      () => `${set.metadata.name}-${randomSuffix()}`,
      // Each new pod goes to a node that has none of the set's pods yet.
      (made, existing) => nodes.filter((node) => !existing.some((pod) => pod.spec?.nodeName === node))[made],
      (readyCount, total) => ({
        observedGeneration: set.metadata.generation,
        desiredNumberScheduled: nodes.length,
        currentNumberScheduled: total,
        updatedNumberScheduled: total,
        numberReady: readyCount,
        numberAvailable: readyCount,
        numberMisscheduled: 0,
      }),
      templateHash(set.spec?.template),
    );
  }
  return changed;
};

/** PodDisruptionBudgets report that they have been observed, which helm 4's status checks wait for. */
const disruptionBudgets: Controller = (ctx) => {
  const type = mustType(ctx, 'PodDisruptionBudget');
  let changed = 0;
  for (const budget of ctx.store.list(type)) {
    if (budget.status?.observedGeneration === budget.metadata.generation) continue;
    changed += updateIfChanged(ctx, type, budget, {
      ...budget,
      status: {
        observedGeneration: budget.metadata.generation,
        currentHealthy: 1,
        desiredHealthy: 0,
        disruptionsAllowed: 1,
        expectedPods: 1,
        conditions: [
          {
            type: 'DisruptionAllowed',
            status: 'True',
            reason: 'SufficientPods',
            lastTransitionTime: timestamp(),
            observedGeneration: budget.metadata.generation,
          },
        ],
      },
    });
  }
  return changed;
};

export const workloadControllers: Controller[] = [
  deployments,
  replicaSets,
  statefulSets,
  daemonSets,
  pods,
  jobs,
  disruptionBudgets,
];
