import { Type } from '@sinclair/typebox';
import { namespaceName, releaseName } from '../input/kube-names.js';
import { helmHead } from './tools/helm-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { chartVersionOf, findRelease, type DeployedRelease } from './kube/helm-release-facts.js';

const schema = Type.Object(
  {
    release: releaseName('Release name (the seed: jhub).'),
    namespace: namespaceName('Namespace of the release.'),
    ...helmHead.args,
  },
  { additionalProperties: false },
);

/** A release's status for later steps (`register:` gives `installed`, `release_status`, `revision`, `chart`, `chart_version`, `app_version`); it never changes anything. */
export const helmStatusPlugin = definePlugin({
  name: 'helm.status',
  summary: "Read a Helm release's status, revision and chart for later steps (register:); never changes anything.",
  schema,
  registers: {
    installed: 'whether the release exists',
    release_status: "its status (deployed, failed...), as helm list says; '' when not installed",
    revision: 'its revision; 0 when not installed',
    chart: 'its chart, name-version',
    chart_version: "the chart's version",
    app_version: "the chart's app version",
  },
  heads: [helmHead],
  probe: async (args, io): Promise<DeployedRelease | null> =>
    (await findRelease(io, helmHead.argv(args), args.release, args.namespace)) ?? null,
  plan(args, facts): StepPlan {
    if (facts === undefined)
      return {
        change: 'run',
        reason: `read the status of ${args.release} in ${args.namespace} at run time`,
        actions: [],
      };
    // Every key is there either way, so a later `when` may read any of them.
    if (facts === null)
      return {
        change: 'none',
        reason: `${args.release} is not installed in ${args.namespace}`,
        actions: [],
        data: { installed: false, release_status: '', revision: 0, chart: '', chart_version: '', app_version: '' },
      };
    // `status` is the step's own (ok, changed...) in a registered result: the release's is `release_status`.
    const data = {
      installed: true,
      release_status: facts.status,
      revision: Number(facts.revision),
      chart: facts.chart,
      chart_version: chartVersionOf(facts.chart) ?? '',
      app_version: facts.app_version,
    };
    return {
      change: 'none',
      reason: `${args.release}: ${facts.status}, revision ${facts.revision}, ${facts.chart}`,
      actions: [],
      data,
    };
  },
});
