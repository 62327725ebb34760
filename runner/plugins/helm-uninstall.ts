import { Type } from '@sinclair/typebox';
import { namespaceName, releaseName } from '../input/kube-names.js';
import { helmHead } from './tools/helm-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { findRelease, type DeployedRelease } from './kube/helm-release-facts.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { wait: true, timeout: '10m' } as const;

const schema = Type.Object(
  {
    release: releaseName('Release name.'),
    namespace: namespaceName("Namespace of the release; it is kept, and with it the users' volume claims."),
    ...helmHead.waitArgs("the release's resources are gone"),
    ...helmHead.args,
  },
  { additionalProperties: false },
);

/** `helm uninstall` (the seed's `helm delete --purge`); a release that is not installed is ok. */
export const helmUninstallPlugin = definePlugin({
  name: 'helm.uninstall',
  summary: 'Uninstall a Helm release, keeping its namespace; ok when it is not installed.',
  schema,
  destroys: "always: the release, and with it the hub's database claim when the chart made it",
  heads: [helmHead],
  effects: (args) => ({
    destroys: { what: `helm release ${args.release} in ${args.namespace}`, namespace: args.namespace },
  }),
  async probe(args, io): Promise<DeployedRelease | null> {
    return (await findRelease(io, helmHead.argv(args), args.release, args.namespace)) ?? null;
  },
  // helm uninstall finishes a release an interrupted uninstall left uninstalling, and clears one left pending.
  plan(args, facts): StepPlan {
    if (facts === null)
      return { change: 'none', reason: `${args.release} is not installed in ${args.namespace}`, actions: [] };
    const argv = [
      ...helmHead.argv(args),
      'uninstall',
      args.release,
      '--namespace',
      args.namespace,
      ...((args.wait ?? defaults.wait) ? ['--wait'] : []),
      '--timeout',
      args.timeout ?? defaults.timeout,
    ];
    return {
      change: 'delete',
      reason: `${facts?.status === 'uninstalling' ? 'finish uninstalling' : 'uninstall'} ${args.release}${facts ? ` (${facts.chart}, revision ${facts.revision}, ${facts.status})` : ''}`,
      actions: [{ kind: 'exec', argv }],
      // The chart's own claims (hub-db-dir) go with the release.
      destroys: {
        what: `helm release ${args.release} in ${args.namespace}`,
        namespace: args.namespace,
        cluster: {
          ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}),
          ...(args.context ? { context: args.context } : {}),
        },
      },
    };
  },
});
