import { isDeepStrictEqual } from 'node:util';
import { namespaceName, releaseName } from '../input/kube-names.js';
import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { parseValuesText } from '../input/values-text.js';
import { helmHead } from './tools/helm-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError, PlanRefusal } from '../plugin-contract/plan-error.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { explainNotReady } from './kube/not-ready.js';
import {
  chartVersionOf,
  deployedValues,
  findRelease,
  isPending,
  lastDeployedRevision,
  recoverPending,
  type DeployedRelease,
} from './kube/helm-release-facts.js';
import { mergeValues } from './kube/merge-values.js';
import { redactSecretValues } from './kube/secret-values.js';
import { chartRenderProblem, chartValuesProblems, type ChartSchema } from './kube/chart-values-check.js';
import { chartSchemaFor } from './kube/chart-schema-source.js';
import { readManifests, templateArgv, type ManifestFacts } from './kube/release-manifest.js';
import { manifestChanges, manifestObjects } from './kube/manifest-changes.js';

/** What an omitted argument is: the schema's defaults, which the validator fills in, and the plan's fallbacks. */
const defaults = { create_namespace: true, wait: true, timeout: '10m' } as const;

const schema = Type.Object(
  {
    release: releaseName('Release name (the seed: jhub).'),
    chart: Type.String({
      minLength: 1,
      description: 'Chart reference such as `jupyterhub/jupyterhub`, or a local chart directory.',
    }),
    version: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Chart version to pin; without it only the values decide whether the release changes.',
      }),
    ),
    namespace: namespaceName('Namespace of the release.'),
    create_namespace: Type.Optional(
      Type.Boolean({ default: defaults.create_namespace, description: 'Create the namespace when missing.' }),
    ),
    values_files: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'Values files, in order (later wins), such as config.yaml and secrets.yaml.',
      }),
    ),
    values: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Inline values, applied last; sent on standard input, never on the command line.',
      }),
    ),
    ...helmHead.waitArgs("the release's resources are ready"),
    ...helmHead.args,
    ...kubectlHead.second.args,
  },
  { additionalProperties: false },
);

interface ReleaseFacts {
  deployed: DeployedRelease | undefined;
  /** For a release left pending: the last revision that was deployed, if any. */
  lastDeployed?: number | undefined;
  values: Record<string, unknown>;
  /** The values files' contents, in order; undefined for a file that does not exist. */
  files: (string | undefined)[];
  /** The chart the step would install, when it would install or upgrade: its values are checked against it. */
  chart?: ChartSchema | undefined;
  /** For an upgrade: the live release's objects and the new chart rendered for this cluster. */
  manifests?: ManifestFacts | undefined;
}

/** Largest values file read: helm keeps a whole release, values included, in one Secret of at most 1 MiB. */
const maxValuesChars = 16 * 1024 * 1024;

function desiredValues(
  files: (string | undefined)[],
  paths: string[],
  inline: Record<string, unknown> | undefined,
): Record<string, unknown> {
  let values: Record<string, unknown> = {};
  files.forEach((text, index) => {
    if (text === undefined) throw new PlanError(`values file ${paths[index]} does not exist`);
    if (text.length > maxValuesChars)
      throw new PlanError(
        `values file ${paths[index]} is ${(text.length / 1024 / 1024).toFixed(0)} MiB; a values file may be ${maxValuesChars / 1024 / 1024} MiB, far more than helm can keep (a release is stored in a Secret of at most 1 MiB)`,
      );
    let parsed: unknown;
    try {
      parsed = parseValuesText(paths[index]!, text);
    } catch (error) {
      throw new PlanError(`values file ${paths[index]}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (parsed !== null && parsed !== undefined) values = mergeValues(values, parsed as Record<string, unknown>);
  });
  return inline ? mergeValues(values, inline) : values;
}

/** Whether the step would install or upgrade: no release, another chart version, or other values (values that cannot be read are the plan's to report). */
function willChange(
  args: { version?: string; values_files?: string[]; values?: Record<string, unknown> },
  deployed: DeployedRelease | undefined,
  values: Record<string, unknown>,
  files: (string | undefined)[],
): boolean {
  if (!deployed || deployed.status !== 'deployed') return true;
  if (args.version && chartVersionOf(deployed.chart) !== args.version) return true;
  try {
    return !isDeepStrictEqual(values, desiredValues(files, args.values_files ?? [], args.values));
  } catch {
    return false;
  }
}

/** `helm upgrade --install`, run only when the chart version or the effective values differ from the deployed release. */
export const helmReleasePlugin = definePlugin({
  name: 'helm.release',
  summary:
    'Install or upgrade a Helm release (upgrade --install) when its chart version or values differ; shows a values diff.',
  schema,
  registers: {
    release_status: "the deployed release's status (deployed, failed, pending-upgrade...), as helm list says",
    revision: "the deployed release's revision",
    chart: 'the deployed chart, name-version',
  },
  heads: [helmHead, kubectlHead.second],
  // The release and the values files; a preview's recorded writes (a backup before an upgrade) leave it observable.
  reads: ['cluster', 'files'],
  changes: ['cluster'],
  effects: (args) => ({ deploysInto: args.namespace }),
  // helm says only "context deadline exceeded": the namespace's objects say what it waited for.
  explainFailure: (args, io) => explainNotReady(io, kubectlHead.second.argv(args), args.namespace),
  async probe(args, io): Promise<ReleaseFacts> {
    const helm = helmHead.argv(args);
    const files = await Promise.all((args.values_files ?? []).map((path) => io.readFile(path)));
    const deployed = await findRelease(io, helm, args.release, args.namespace);
    const values = deployed ? await deployedValues(io, helm, args.release, args.namespace) : {};
    // The chart is fetched only when the step would install or upgrade: its values are checked against it first.
    const chart = willChange(args, deployed, values, files)
      ? await chartSchemaFor(io, helm, args.chart, args.version)
      : undefined;
    // What the upgrade would do to the cluster, rendered before anything is written.
    const manifests =
      deployed && !isPending(deployed) && chart?.dir
        ? await readManifests(io, helm, kubectlHead.second.argv(args), {
            release: args.release,
            namespace: args.namespace,
            chartDir: chart.dir,
            valuesFiles: args.values_files ?? [],
            inline: args.values ? stringify(args.values) : undefined,
          })
        : undefined;
    const lastDeployed =
      deployed && deployed.status !== 'deployed'
        ? await lastDeployedRevision(io, helm, args.release, args.namespace)
        : undefined;
    return { deployed, values, files, chart, manifests, lastDeployed };
  },
  plan(args, facts): StepPlan {
    const helm = helmHead.argv(args);
    const argv = [
      ...helm,
      'upgrade',
      '--install',
      args.release,
      args.chart,
      '--namespace',
      args.namespace,
      ...((args.create_namespace ?? defaults.create_namespace) ? ['--create-namespace'] : []),
      ...(args.version ? ['--version', args.version] : []),
      ...(args.values_files ?? []).flatMap((path) => ['--values', path]),
      ...(args.values ? ['--values', '-'] : []),
      ...((args.wait ?? defaults.wait) ? ['--wait'] : []),
      '--timeout',
      args.timeout ?? defaults.timeout,
    ];
    const action = { kind: 'exec' as const, argv, ...(args.values ? { input: stringify(args.values) } : {}) };
    if (!facts) {
      const kubectl = kubectlHead.second.argv(args);
      const at = ['--namespace', args.namespace];
      const render = templateArgv(
        helm,
        args.release,
        `<${args.chart} ${args.version ?? ''}>`.replace(' >', '>'),
        args.namespace,
        args.values_files ?? [],
        Boolean(args.values),
        ['--kube-version', "<the cluster's>", '--api-versions', '<each it serves>'],
      );
      return {
        change: 'update',
        reason: `upgrade --install ${args.release}`,
        actions: [action],
        details: [
          `before an upgrade, reads what it would change (no write): ${[...helm, 'get', 'manifest', args.release, ...at].join(' ')}; ${[...kubectl, 'version', '--output', 'json'].join(' ')}; ${[...kubectl, 'api-versions'].join(' ')}; ${[...helm, 'pull', args.chart, ...(args.version ? ['--version', args.version] : []), '--untar'].join(' ')}; ${render.join(' ')}`,
        ],
      };
    }
    const desired = desiredValues(facts.files, args.values_files ?? [], args.values);
    if (facts.chart) {
      const sources = (args.values_files ?? []).map((path, index) => ({ path, text: facts.files[index] ?? '' }));
      const problems = chartValuesProblems(desired, facts.chart, sources);
      if (problems.length)
        throw new PlanRefusal(
          `the values do not fit ${facts.chart.name} ${facts.chart.version}; nothing was changed:\n  ${problems.join('\n  ')}`,
        );
    }
    // helm prints values sorted; sorting both sides keeps the diff to what really changes. The chart's
    // secrets show only whether they change: the live release's may be none the run knows to mask.
    const shown = redactSecretValues(facts.deployed ? facts.values : undefined, desired);
    const diff = {
      path: `values of release ${args.release}`,
      before: facts.deployed ? stringify(shown.before, { sortMapEntries: true }) : undefined,
      after: stringify(shown.after, { sortMapEntries: true }),
    };
    if (!facts.deployed)
      return {
        change: 'create',
        reason: `install ${args.chart}${args.version ? ` ${args.version}` : ''} as ${args.release}`,
        actions: [action],
        diffs: [diff],
      };
    if (isPending(facts.deployed)) {
      const recovery = recoverPending(
        helm,
        facts.deployed,
        args.namespace,
        facts.lastDeployed,
        args.timeout ?? defaults.timeout,
      );
      return {
        change: 'update',
        reason: `${recovery.says}: upgrade --install ${args.release}`,
        actions: [{ kind: 'exec', argv: recovery.argv }, action],
        diffs: [diff],
      };
    }
    if (facts.chart && facts.manifests && 'error' in facts.manifests.rendered) {
      const sources = (args.values_files ?? []).map((path, index) => ({ path, text: facts.files[index] ?? '' }));
      throw new PlanRefusal(
        `${facts.chart.name} ${facts.chart.version} does not render with these values; nothing was changed:\n  ${chartRenderProblem(facts.manifests.rendered.error, desired, sources)}`,
      );
    }
    const deployedVersion = chartVersionOf(facts.deployed.chart);
    const reasons: string[] = [];
    if (facts.deployed.status !== 'deployed') reasons.push(`release is ${facts.deployed.status}`);
    if (args.version && deployedVersion !== args.version)
      reasons.push(`chart ${deployedVersion ?? facts.deployed.chart} -> ${args.version}`);
    if (!isDeepStrictEqual(facts.values, desired)) reasons.push('values differ');
    const data = {
      revision: Number(facts.deployed.revision),
      chart: facts.deployed.chart,
      release_status: facts.deployed.status,
    };
    if (reasons.length === 0)
      return {
        change: 'none',
        reason: `${args.release} is deployed with ${facts.deployed.chart} and the same values`,
        actions: [],
        data,
      };
    const changes =
      facts.manifests && 'text' in facts.manifests.rendered
        ? manifestChanges(
            manifestObjects(facts.manifests.live),
            manifestObjects(facts.manifests.rendered.text),
            args.release,
            { from: deployedVersion ?? '', to: facts.chart?.version ?? deployedVersion ?? '' },
          )
        : undefined;
    const back = facts.deployed.status === 'deployed' ? Number(facts.deployed.revision) : facts.lastDeployed;
    return {
      change: 'update',
      reason: `upgrade ${args.release}: ${reasons.join(', ')}`,
      actions: [action],
      diffs: [...(isDeepStrictEqual(facts.values, desired) ? [] : [diff]), ...(changes ? [changes.diff] : [])],
      ...(changes ? { warnings: changes.warnings, details: [changes.summary] } : {}),
      data,
      ...(back !== undefined
        ? {
            wayBack: {
              playbook: 'rollback-jhub.yml',
              // The release it names, whatever the rollback playbook's defaults are.
              vars: { release: args.release, namespace: args.namespace, revision: String(back) },
              to: `revision ${back} of ${args.release} (${facts.deployed.status === 'deployed' ? facts.deployed.chart : 'the last deployed'})`,
            },
          }
        : {}),
    };
  },
});
