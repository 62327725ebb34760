import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../support/package-root.js';

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

/** The images of released jupyterhub charts (released-chart-images.txt), which a real registry has whatever chart the site serves. */
function releasedChartImages(): string[] {
  const text = readFileSync(join(packageRoot(), 'sandbox', 'site', 'released-chart-images.txt'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The site's registry: what its charts and the released charts name, and what the inventory adds; any other image does not pull. */
export function siteRegistry(extra: readonly string[]): Set<string> {
  return new Set([
    ...chartImages(join(packageRoot(), 'sandbox', 'charts', 'jupyterhub')),
    ...releasedChartImages(),
    singleuserImage,
    ...extra,
  ]);
}
