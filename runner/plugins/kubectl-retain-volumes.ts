import { Type } from '@sinclair/typebox';
import { namespaceName } from '../input/kube-names.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { parseKubectlJson } from './kube/kubectl-json.js';
import { unreachableCluster } from './kube/unreachable-cluster.js';
import { volumesOfNamespace, type VolumeObject } from './kube/namespace-volumes.js';
import { volumeListArgv } from './kube/storage-lists.js';

const schema = Type.Object(
  {
    namespace: namespaceName('Every PersistentVolume bound to a claim in this namespace gets reclaim policy Retain.'),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

/** Sets Retain on the live volumes before anything is destroyed, so deleting a claim can no longer delete its Cinder volume. */
export const kubectlRetainVolumesPlugin = definePlugin({
  name: 'kubectl.retain_volumes',
  summary: "Set reclaim policy Retain on every volume bound to a namespace's claims, in one kubectl replace.",
  schema,
  reads: ['cluster'],
  changes: ['cluster'],
  heads: [kubectlHead],
  async probe(args, io): Promise<VolumeObject[] | { unreachable: string }> {
    const argv = volumeListArgv(kubectlHead.argv(args));
    const result = await io.run(argv);
    // A cluster already gone (a rebuild from a kept backup) has no live volume a claim deletion could take.
    const unreachable = result.exitCode !== 0 ? unreachableCluster(result.stderr) : undefined;
    if (unreachable) return { unreachable };
    return parseKubectlJson(argv, result)?.items ?? [];
  },
  plan(args, found): StepPlan {
    if (found && !Array.isArray(found))
      return {
        change: 'none',
        reason: `no cluster answers (${found.unreachable}): it has no live volumes left to set Retain on`,
        actions: [],
      };
    const facts = found;
    // One replace of the volumes as read: the server refuses it (Conflict) if any changed since, and
    // unlike `kubectl patch` with many names it is one request per volume without client throttling.
    const argv = [...kubectlHead.argv(args), 'replace', '--filename', '-'];
    if (!facts) {
      return {
        change: 'update',
        reason: `set Retain on the volumes bound to claims in ${args.namespace} (known at run time)`,
        actions: [{ kind: 'exec', argv }],
      };
    }
    const bound = volumesOfNamespace(facts, args.namespace);
    const changing = bound.filter((volume) => volume.spec?.persistentVolumeReclaimPolicy !== 'Retain');
    if (changing.length === 0)
      return {
        change: 'none',
        reason: `all ${bound.length} volume(s) of ${args.namespace} already Retain`,
        actions: [],
      };
    const line = (volume: VolumeObject, policy: string | undefined) =>
      `${volume.metadata.name} (${volume.spec?.claimRef?.name}): ${policy}\n`;
    return {
      change: 'update',
      reason: `set Retain on ${changing.length} of the ${bound.length} volume(s) of ${args.namespace}`,
      actions: [
        {
          kind: 'exec',
          argv,
          input: JSON.stringify({
            apiVersion: 'v1',
            kind: 'List',
            items: changing.map((volume) => ({
              ...volume,
              spec: { ...volume.spec, persistentVolumeReclaimPolicy: 'Retain' },
            })),
          }),
        },
      ],
      diffs: [
        {
          path: `persistentVolumeReclaimPolicy of ${args.namespace}'s volumes`,
          before: changing.map((volume) => line(volume, volume.spec?.persistentVolumeReclaimPolicy)).join(''),
          after: changing.map((volume) => line(volume, 'Retain')).join(''),
        },
      ],
    };
  },
});
