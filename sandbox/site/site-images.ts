import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The user servers' image the sandbox seeds, as the chart's singleuser default names it. */
export const singleuserImage = 'quay.io/jupyterhub/k8s-singleuser-sample:4.2.0';

function valuesImages(value: unknown, key = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if (key === 'image' && typeof object['name'] === 'string' && object['tag'] !== undefined)
    return [`${object['name']}:${String(object['tag'])}`];
  return Object.entries(object).flatMap(([child, nested]) => valuesImages(nested, child));
}

/** Every image a chart names: `image: {name, tag}` in its values, and literal `image:` lines of its templates. */
export function chartImages(chartDir: string): string[] {
  const fromValues = valuesImages(parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')));
  const templates = readdirSync(join(chartDir, 'templates')).filter((name) => name.endsWith('.yaml'));
  const literal = templates.flatMap((name) =>
    [...readFileSync(join(chartDir, 'templates', name), 'utf8').matchAll(/^\s*image:\s*([^\s{]+)\s*$/gm)].map(
      (match) => match[1]!,
    ),
  );
  return [...new Set([...fromValues, ...literal])];
}
