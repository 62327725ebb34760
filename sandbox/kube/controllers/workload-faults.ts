import type { KubeObject } from '../object-store.js';
import type { ResourceType } from '../resource-catalog.js';
import { mustType, timestamp, updateIfChanged, type ControllerContext } from './controller-context.js';
import { recordEvent } from './storage-objects.js';

interface Container {
  name: string;
  image?: string;
  readinessProbe?: {
    httpGet?: { port?: number | string; path?: string };
    tcpSocket?: { port?: number | string };
    exec?: unknown;
  };
  ports?: { name?: string; containerPort: number }[];
}

/** The workload a pod belongs to, as `sandbox.workloads` names it: its Deployment through the ReplicaSet, its StatefulSet, DaemonSet or Job, else the pod. */
export function workloadOf(ctx: ControllerContext, pod: KubeObject): string {
  const owner = (pod.metadata.ownerReferences ?? [])[0] as { kind: string; name: string } | undefined;
  if (!owner) return pod.metadata.name;
  if (owner.kind !== 'ReplicaSet') return owner.name;
  const replicaSet = ctx.store.find(mustType(ctx, 'ReplicaSet'), pod.metadata.namespace, owner.name);
  return (replicaSet?.metadata.ownerReferences ?? [])[0]?.name ?? owner.name;
}

/** What the kubelet says of a readiness probe that fails: an HTTP status, a refused connection, or an exec's exit. */
function probeFailure(container: Container, ip: string): string {
  const probe = container.readinessProbe;
  const port = (value: number | string | undefined) =>
    typeof value === 'string' ? (container.ports?.find((each) => each.name === value)?.containerPort ?? value) : value;
  if (probe?.httpGet)
    return `Readiness probe failed: Get "http://${ip}:${port(probe.httpGet.port)}${probe.httpGet.path ?? '/'}": dial tcp ${ip}:${port(probe.httpGet.port)}: connect: connection refused`;
  if (probe?.tcpSocket)
    return `Readiness probe failed: dial tcp ${ip}:${port(probe.tcpSocket.port)}: connect: connection refused`;
  return 'Readiness probe failed: command exited with code 1';
}

/**
 * A pod of a workload the site names as failing: with a readiness probe it runs and never passes it;
 * without one its container keeps crashing (CrashLoopBackOff). Either way with the kubelet's events.
 */
export function failingProbe(
  ctx: ControllerContext,
  pod: KubeObject,
  nodeName: string | undefined,
  containers: Container[],
  ip: string,
): number {
  const now = timestamp();
  const probed = containers.filter((container) => container.readinessProbe);
  const failing = probed.length ? probed : containers;
  const names = new Set(failing.map((container) => container.name));
  const state = (container: Container) =>
    probed.length || !names.has(container.name)
      ? { running: { startedAt: now } }
      : {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 10s restarting failed container=${container.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          },
        };
  const status = {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${[...names].join(' ')}]`,
        lastTransitionTime: now,
      },
      {
        type: 'ContainersReady',
        status: 'False',
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${[...names].join(' ')}]`,
        lastTransitionTime: now,
      },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
    ],
    hostIP: '10.0.0.10',
    podIP: ip,
    startTime: now,
    containerStatuses: containers.map((container) => ({
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: !names.has(container.name),
      started: probed.length > 0 || !names.has(container.name),
      restartCount: probed.length ? 0 : 5,
      state: state(container),
    })),
  };
  let changed = updateIfChanged(ctx, mustType(ctx, 'Pod'), pod, {
    ...pod,
    spec: { ...pod.spec, ...(nodeName ? { nodeName } : {}) },
    status,
  });
  for (const container of failing) {
    changed += probed.length
      ? recordEvent(ctx, pod, 'Warning', 'Unhealthy', probeFailure(container, ip), 'kubelet')
      : recordEvent(
          ctx,
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          'kubelet',
        );
  }
  return changed;
}

/** A Job whose pods all fail: it gives up at its backoff limit, as the Job controller words it. */
export function failJob(ctx: ControllerContext, type: ResourceType, job: KubeObject, now: string): number {
  const conditions = [
    {
      type: 'FailureTarget',
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      lastProbeTime: now,
      lastTransitionTime: now,
    },
    {
      type: 'Failed',
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      lastProbeTime: now,
      lastTransitionTime: now,
    },
  ];
  const failed = (job.spec?.backoffLimit ?? 6) + 1;
  const changed = updateIfChanged(ctx, type, job, {
    ...job,
    status: {
      startTime: job.status?.startTime ?? now,
      failed,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
      conditions,
    },
  });
  return (
    changed +
    recordEvent(
      ctx,
      job,
      'Warning',
      'BackoffLimitExceeded',
      'Job has reached the specified backoff limit',
      'job-controller',
    )
  );
}
