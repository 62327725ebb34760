import { Type } from '@sinclair/typebox';
import { namespaceName, releaseName } from '../input/kube-names.js';
import { helmHead } from './tools/helm-head.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { releaseHistory, type HistoryEntry } from './kube/helm-release-facts.js';
import { explainNotReady } from './kube/not-ready.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { wait: true, timeout: '10m' } as const;

const schema = Type.Object(
  {
    release: releaseName('Release name.'),
    namespace: namespaceName('Namespace of the release.'),
    revision: Type.Optional(
      Type.Integer({
        minimum: 0,
        default: 0,
        description:
          'The revision to go back to: the one a failed upgrade printed (helm history lists them all); 0: the last one that deployed, when the newest did not. helm makes a new revision with its chart and values.',
      }),
    ),
    ...helmHead.waitArgs("the release's resources are ready again"),
    ...helmHead.args,
    ...kubectlHead.second.args,
  },
  { additionalProperties: false },
);

const describe = (entry: HistoryEntry) => `revision ${entry.revision} (${entry.chart}, ${entry.status})`;

/** The newest revision before the newest one that deployed (`deployed`, or `superseded` by a later one). */
const lastGood = (history: readonly HistoryEntry[]) =>
  history
    .slice(0, -1)
    .filter((entry) => entry.status === 'deployed' || entry.status === 'superseded')
    .at(-1)?.revision;

/** `helm rollback` to a revision the release had, unless the newest revision already is that one or its rollback. */
export const helmRollbackPlugin = definePlugin({
  name: 'helm.rollback',
  summary: 'Roll a Helm release back to an earlier revision (its chart and values); ok when it is already back there.',
  schema,
  registers: {
    revision: 'the revision the release went back to',
    chart: "that revision's chart, name-version",
  },
  heads: [helmHead, kubectlHead.second],
  effects: (args) => ({ deploysInto: args.namespace }),
  explainFailure: (args, io) => explainNotReady(io, kubectlHead.second.argv(args), args.namespace),
  probe: (args, io) => releaseHistory(io, helmHead.argv(args), args.release, args.namespace),
  plan(args, history): StepPlan {
    const revision = args.revision || (history ? lastGood(history) : undefined);
    const argv = [
      ...helmHead.argv(args),
      'rollback',
      args.release,
      ...(revision ? [String(revision)] : []),
      '--namespace',
      args.namespace,
      ...((args.wait ?? defaults.wait) ? ['--wait'] : []),
      '--timeout',
      args.timeout ?? defaults.timeout,
    ];
    if (history === undefined)
      return {
        change: 'update',
        reason: `roll ${args.release} back to ${args.revision ? `revision ${args.revision}` : 'the last revision that deployed, unless the newest did'}`,
        actions: [{ kind: 'exec', argv }],
      };
    if (history.length === 0)
      throw new PlanError(`${args.release} is not installed in ${args.namespace}: there is nothing to roll back`);
    const newest = history.at(-1)!;
    if (!args.revision && newest.status === 'deployed')
      return {
        change: 'none',
        reason: `${args.release}'s newest revision ${newest.revision} (${newest.chart}) is deployed: nothing to roll back (-e revision=N goes back to an earlier one)`,
        actions: [],
        data: { revision: newest.revision, chart: newest.chart },
      };
    const target = history.find((entry) => entry.revision === revision);
    if (!target)
      throw new PlanRefusal(
        revision
          ? `${args.release} has no revision ${revision} (helm keeps ${history.map((entry) => entry.revision).join(', ')}); nothing was changed`
          : `${args.release} has no earlier revision that deployed to go back to (${history.map(describe).join('; ')}); nothing was changed`,
      );
    const data = { revision: target.revision, chart: target.chart };
    if (
      newest.status === 'deployed' &&
      (newest.revision === target.revision || newest.description === `Rollback to ${target.revision}`)
    )
      return {
        change: 'none',
        reason: `${args.release} is back at revision ${target.revision}: ${describe(newest)}${newest.revision === target.revision ? '' : `, a rollback to ${target.revision}`}`,
        actions: [],
        data,
      };
    return {
      change: 'update',
      reason: `roll ${args.release} back from ${describe(newest)} to revision ${target.revision} (${target.chart})`,
      actions: [{ kind: 'exec', argv }],
      data,
    };
  },
});
