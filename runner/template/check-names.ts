import { didYouMeanHint } from '../input/did-you-mean.js';
import { filterList, knownFilter } from './environment.js';
import { filterNames, referencedNames } from './template-names.js';
import { TemplateError } from './template-error.js';
import { callableGlobals, checkTemplateRules } from './template-rules.js';

export type TemplateContext = Record<string, unknown>;

export function cleanNunjucksMessage(error: unknown): string {
  const text = (error as Error).message ?? String(error);
  return text
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\[Line \d+, Column \d+\]\s*/g, '')
    .replace(/\b(?:Template(?:Limit)?Error|TemplateRefusal|Error): /g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function keysOf(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

/** Names every variable (or key) the template reads that the context lacks, with a did-you-mean. */
export function checkNames(
  source: string,
  context: TemplateContext,
  allNames: () => Iterable<string>,
  checkKeys = true,
): void {
  let references;
  try {
    references = referencedNames(source);
  } catch (error) {
    throw new TemplateError(`invalid template ${JSON.stringify(source)}: ${cleanNunjucksMessage(error)}`);
  }
  checkTemplateRules(source);
  for (const reference of references) {
    if (reference.guarded) continue;
    const [top, ...keys] = reference.path;
    if (callableGlobals.has(top!)) continue;
    if (!Object.hasOwn(context, top!)) {
      throw new TemplateError(`undefined variable '${top}'`, didYouMeanHint(top!, allNames()), {
        line: reference.line,
        col: reference.col,
      });
    }
    if (!checkKeys) continue;
    let value: unknown = context[top!];
    let walked = top!;
    for (const key of keys) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        throw new TemplateError(`'${walked}' is a ${typeof value}, which has no key '${key}'`, undefined, {
          line: reference.line,
          col: reference.col,
        });
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) break;
      if (!Object.hasOwn(value as object, key)) {
        throw new TemplateError(`'${walked}' has no key '${key}'`, didYouMeanHint(key, keysOf(value)), {
          line: reference.line,
          col: reference.col,
        });
      }
      value = (value as Record<string, unknown>)[key];
      walked = `${walked}.${key}`;
    }
  }
  for (const filter of filterNames(source)) {
    if (!knownFilter(filter.name))
      throw new TemplateError(`unknown filter '${filter.name}'`, didYouMeanHint(filter.name, filterList()), {
        line: filter.line,
        col: filter.col,
      });
  }
}
