import { Type } from '@sinclair/typebox';
import { namespaceName, objectName } from '../input/kube-names.js';
import { definePlugin, type Destruction, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubectlJson } from './kube/kubectl-json.js';
import { cloudVolumeId, type VolumeObject } from './kube/namespace-volumes.js';
import { kubectlHead } from './tools/kubectl-head.js';

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace of the claim.'),
    claim: objectName('The claim to delete, so it can be made again on another volume.'),
    only_check: Type.Optional(
      Type.Boolean({
        description:
          'Only check that no pod mounts the claim, changing nothing: before anything is made for it (default false).',
      }),
    ),
    unless_on: Type.Optional(
      Type.String({
        description:
          'A Cinder volume ID: a claim already Bound to a PV of this volume is what the deletion is for, and is left alone (a rerun after the claim was made again).',
      }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface ReleaseFacts {
  claim: { spec?: { volumeName?: string }; status?: { phase?: string } } | undefined;
  volume: VolumeObject | undefined;
  /** Pods that mount the claim. */
  users: string[];
}

function destruction(args: { namespace: string; claim: string }): Destruction {
  return { what: `claim ${args.claim} in ${args.namespace} (its volume stays, Retain)`, namespace: args.namespace };
}

/**
 * A Bound claim cannot be pointed at another volume; to give a user a volume back from a snapshot,
 * their claim is deleted and made again. Never while a server mounts it (the delete would wait on
 * the claim's protection, and the user would write to a volume about to be swapped), and never
 * while its volume would go with it.
 */
export const kubectlReleaseClaimPlugin = definePlugin({
  name: 'kubectl.release_claim',
  summary:
    "Delete one claim so it can be made again on another volume: refused while a pod mounts it or its volume's reclaim policy is not Retain.",
  schema,
  destroys: 'the claim (its volume is kept: the step refuses unless it is Retain)',
  heads: [kubectlHead],
  effects: (args) => (args.only_check ? {} : { destroys: destruction(args) }),
  async probe(args, io): Promise<ReleaseFacts> {
    const kubectl = kubectlHead.argv(args);
    const [claim, pods] = await Promise.all([
      kubectlJson(io, [
        ...kubectl,
        'get',
        'persistentvolumeclaim',
        args.claim,
        '--namespace',
        args.namespace,
        '--ignore-not-found',
        '--output',
        'json',
      ]),
      kubectlJson(io, [...kubectl, 'get', 'pods', '--namespace', args.namespace, '--output', 'json']),
    ]);
    const volumeName = claim?.spec?.volumeName;
    const volume = volumeName
      ? await kubectlJson(io, [
          ...kubectl,
          'get',
          'persistentvolume',
          volumeName,
          '--ignore-not-found',
          '--output',
          'json',
        ])
      : undefined;
    const users = ((pods?.items ?? []) as any[])
      .filter((pod) =>
        ((pod.spec?.volumes ?? []) as any[]).some((volume) => volume.persistentVolumeClaim?.claimName === args.claim),
      )
      .map((pod) => String(pod.metadata.name));
    return { claim, volume, users };
  },
  plan(args, facts): StepPlan {
    const argv = [
      ...kubectlHead.argv(args),
      'delete',
      'persistentvolumeclaim',
      args.claim,
      '--namespace',
      args.namespace,
      '--ignore-not-found',
    ];
    if (!facts && args.only_check)
      return { change: 'none', reason: `check no pod mounts ${args.claim} (known at run time)`, actions: [] };
    if (!facts)
      return {
        change: 'delete',
        reason: `delete claim ${args.claim} in ${args.namespace} if no pod mounts it and its volume is Retain (checked at run time)`,
        actions: [{ kind: 'exec', argv }],
        destroys: destruction(args),
      };
    if (!facts.claim) return { change: 'none', reason: `${args.namespace} has no claim ${args.claim}`, actions: [] };
    if (args.unless_on && facts.volume && cloudVolumeId(facts.volume) === args.unless_on)
      return {
        change: 'none',
        reason: `${args.claim} is on Cinder volume ${args.unless_on} already (${facts.claim.status?.phase ?? 'no phase'}): nothing to delete`,
        actions: [],
      };
    if (facts.users.length)
      throw new PlanRefusal(
        `${args.claim} is mounted by ${facts.users.join(', ')}: stop the user's server first (the hub's admin page, or kubectl delete pod ${facts.users[0]} --namespace ${args.namespace}), then run again. Nothing was changed`,
      );
    if (args.only_check)
      return {
        change: 'none',
        reason: `no pod mounts ${args.claim}: it can be made again on another volume`,
        actions: [],
      };
    const policy = facts.volume?.spec?.persistentVolumeReclaimPolicy;
    if (facts.volume && policy !== 'Retain')
      throw new PlanRefusal(
        `${args.claim}'s volume ${facts.claim.spec?.volumeName} has reclaim policy ${policy}: deleting the claim would delete the volume. Set Retain first (kubectl.retain_volumes). Nothing was changed`,
      );
    return {
      change: 'delete',
      reason: `delete claim ${args.claim} in ${args.namespace}${facts.claim.spec?.volumeName ? `; its volume ${facts.claim.spec.volumeName} stays (Retain)` : ''}`,
      actions: [{ kind: 'exec', argv }],
      destroys: destruction(args),
    };
  },
});
