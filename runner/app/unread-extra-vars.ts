import type { PluginStep } from '../load/plugin-step.js';
import type { AnyPlugin } from '../plugin-contract/contract.js';
import { didYouMean, didYouMeanHint } from '../input/did-you-mean.js';
import { referencedNames } from '../template/template-names.js';
import type { VarLayer } from '../vars/var-layer.js';

/** Variables the runner itself reads, beside what steps and templates do. */
const readByTheRunner = ['run_id', 'sandbox', 'site', 'site_simulated', 'state_dir', 'terraform_dir'];

function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, into);
  return into;
}

function namesIn(source: string, into: Set<string>): void {
  try {
    for (const reference of referencedNames(source)) if (reference.path[0]) into.add(reference.path[0]);
  } catch {
    // A template that does not parse is reported where it is rendered.
  }
}

/**
 * `-e` names that nothing defines and nothing reads (`-e namepsace=x`): such a value changes nothing,
 * so the run says so, with the closest name, rather than letting the operator believe it took.
 */
export function unreadExtraVars(
  extra: VarLayer,
  others: readonly VarLayer[],
  steps: readonly PluginStep[],
  plugins: ReadonlyMap<string, AnyPlugin>,
): string[] {
  if (Object.keys(extra.values).length === 0) return [];
  const known = new Set<string>(readByTheRunner);
  for (const layer of others) for (const key of Object.keys(layer.values)) known.add(key);
  for (const layer of others) for (const text of stringsIn(layer.values)) namesIn(text, known);
  for (const step of steps) {
    for (const text of stringsIn(step.args)) namesIn(text, known);
    for (const condition of [step.when, step.until, step.changed_when, step.failed_when]) {
      if (typeof condition === 'string') namesIn(condition.includes('{{') ? condition : `{{ ${condition} }}`, known);
    }
    const plugin = plugins.get(step.plugin);
    for (const name of Object.values(plugin?.argsFromVars ?? {})) if (name) known.add(name);
  }
  const given = [...new Set(Object.keys(extra.values).map((key) => (extra.nested ? key.split('.')[0]! : key)))];
  return given
    .filter((name) => !known.has(name))
    .map((name) => {
      const hint = didYouMeanHint(name, known);
      return `-e ${name}: no step or variable of this playbook or its inventory reads it, so it changes nothing${hint ? ` (${hint})` : ''}`;
    });
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `-e terraform_vars.worker_cont=3`: a dotted key one letter off a key the map already has adds a new
 * key beside it, which nothing reads, and leaves the old one as it was; the run says so.
 */
export function mistypedNestedExtraVars(extra: VarLayer, others: readonly VarLayer[]): string[] {
  if (!extra.nested) return [];
  return Object.keys(extra.values).flatMap((key) => {
    const path = key.split('.');
    if (path.length < 2) return [];
    // The map as the lower levels give it, the highest precedence last.
    let map: unknown = others.findLast((layer) => path[0]! in layer.values)?.values[path[0]!];
    for (const segment of path.slice(1, -1)) map = isMap(map) ? map[segment] : undefined;
    const leaf = path.at(-1)!;
    if (!isMap(map) || leaf in map) return [];
    const closest = didYouMean(leaf, Object.keys(map));
    if (!closest) return [];
    const parent = path.slice(0, -1).join('.');
    return [
      `-e ${key}: ${parent} has no key ${leaf}, so this adds one and leaves ${parent}.${closest} as it was (did you mean '${parent}.${closest}'?)`,
    ];
  });
}
