import { Type } from '@sinclair/typebox';
import { helmHead } from './tools/helm-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';

const schema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Repository name (the seed: jupyterhub).' }),
    url: Type.String({
      minLength: 1,
      description: 'Repository URL (the seed: https://jupyterhub.github.io/helm-chart/).',
    }),
    binary: helmHead.args.binary,
  },
  { additionalProperties: false },
);

interface Repository {
  name: string;
  url: string;
}

const normalise = (url: string) => url.replace(/\/+$/, '');

/** `helm repo add`; ok when a repository of that name already points at the same URL. */
export const helmRepoPlugin = definePlugin({
  name: 'helm.repo',
  summary: 'Add a Helm chart repository, or point an existing name at a new URL; ok when already present.',
  schema,
  varDefaults: helmHead.varDefaults,
  argsFromVars: { binary: helmHead.fromVars.binary },
  async probe(args, io): Promise<Repository[]> {
    const result = await io.run([helmHead.program(args), 'repo', 'list', '--output', 'json']);
    // Older helm 3 releases answer an empty list with an error instead of [].
    if (result.exitCode !== 0 && /no repositories/i.test(result.stderr)) return [];
    if (result.exitCode !== 0) throw new PlanError(`helm repo list failed: ${(result.stderr || result.stdout).trim()}`);
    try {
      return JSON.parse(result.stdout || '[]') as Repository[];
    } catch {
      throw new PlanError(`cannot parse helm repo list output: ${result.stdout.slice(0, 200)}`);
    }
  },
  plan(args, facts): StepPlan {
    const helm = helmHead.program(args);
    const known = facts?.find((repository) => repository.name === args.name);
    if (known && normalise(known.url) === normalise(args.url))
      return { change: 'none', reason: `repository ${args.name} is ${known.url}`, actions: [] };
    if (known) {
      return {
        change: 'update',
        reason: `repository ${args.name}: ${known.url} -> ${args.url}`,
        actions: [{ kind: 'exec', argv: [helm, 'repo', 'add', args.name, args.url, '--force-update'] }],
      };
    }
    return {
      change: 'create',
      reason: `add repository ${args.name} (${args.url})`,
      actions: [{ kind: 'exec', argv: [helm, 'repo', 'add', args.name, args.url] }],
    };
  },
});
