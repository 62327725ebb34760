import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { siteRegistry } from '../../../sandbox/site/site-images.js';

/** What the released jupyterhub chart 4.2.0 renders (`helm template` with its defaults): `Kind name [init] image` a line. */
const released = readFileSync(
  fileURLToPath(new URL('../../fixtures/jupyterhub-chart-4.2.0/images.txt', import.meta.url)),
  'utf8',
)
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split(' ').at(-1)!);

describe("the simulated site's registry", () => {
  it('has every image the released chart 4.2.0 runs, so it deploys with no sandbox.images', () => {
    const registry = siteRegistry([]);
    expect(released).toContain('registry.k8s.io/kube-scheduler:v1.30.11');
    for (const image of released) expect(registry.has(image), image).toBe(true);
  });

  it('has no mistyped tag, and adds what the inventory lists', () => {
    const registry = siteRegistry(['registry.example.org/lab/notebook:2026.1']);
    expect(registry.has('quay.io/jupyterhub/k8s-hub:4.2.O')).toBe(false);
    expect(registry.has('registry.k8s.io/kube-scheduler:v1.30.12')).toBe(false);
    expect(registry.has('registry.example.org/lab/notebook:2026.1')).toBe(true);
  });
});
