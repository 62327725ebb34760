import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { manifestChanges, manifestObjects } from '../../../runner/plugins/kube/manifest-changes.js';
import { listDiffSummary } from '../../../runner/ui/list-diff-summary.js';

const labels = (version: string) => ({ app: 'jupyterhub', chart: `jupyterhub-${version}`, component: 'hub' });
const deployment = (version: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hub', labels: labels(version) },
  spec: { template: { metadata: { labels: { component: 'hub' } }, spec: { containers: [{ name: 'hub', image }] } } },
});
const secret = (token: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'hub' },
  data: { 'proxy.token': token, 'cookie.secret': 'c29tZS1jb29raWU=' },
});
const claim = (size: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'hub-db-dir' },
  spec: { resources: { requests: { storage: size } } },
});
const manifest = (...objects: object[]) =>
  objects.map((object) => `---\n# Source: x.yaml\n${stringify(object)}`).join('');

const compare = (live: string, rendered: string) =>
  manifestChanges(manifestObjects(live), manifestObjects(rendered), 'jhub', { from: '4.2.0', to: '5.0.0' });

describe('manifestChanges', () => {
  it('lists objects added, removed and changed, and calls out replaced pods, deletions and claims first', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'hub' } };
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'singleuser' } };
    const changes = compare(
      manifest(deployment('4.2.0', 'k8s-hub:4.2.0'), policy, claim('1Gi')),
      manifest(deployment('5.0.0', 'k8s-hub:5.0.0'), pdb, claim('2Gi')),
    );
    expect(changes).toMatchObject({
      added: ['PodDisruptionBudget hub'],
      removed: ['NetworkPolicy singleuser'],
      changed: ['Deployment hub', 'PersistentVolumeClaim hub-db-dir'],
      warnings: [
        'replaces the pods of Deployment hub (their pod template changes)',
        'deletes NetworkPolicy singleuser',
        'touches claims: PersistentVolumeClaim hub-db-dir changes',
      ],
    });
    expect(listDiffSummary(changes.diff)).toEqual([
      'manifest of release jhub: 3 item(s): 1 added, 2 changed, 1 dropped, 0 unchanged',
      '~ Deployment hub: spec.template.spec.containers[hub].image "k8s-hub:4.2.0" → "k8s-hub:5.0.0"',
      '+ PodDisruptionBudget hub',
      '~ PersistentVolumeClaim hub-db-dir: spec.resources.requests.storage "1Gi" → "2Gi"',
      '- NetworkPolicy singleuser',
    ]);
  });

  it('says once that the chart-version labels change, instead of calling every object changed', () => {
    const changes = compare(manifest(deployment('4.2.0', 'hub:1')), manifest(deployment('5.0.0', 'hub:1')));
    expect(changes.changed).toEqual([]);
    expect(changes.warnings).toEqual([]);
    expect(changes.summary).toBe(
      'objects of jhub: 0 added, 0 changed, 0 removed, 1 unchanged; the labels naming the chart version (4.2.0 → 5.0.0) change on every object',
    );
  });

  it("never shows a Secret's values, only which of them change", () => {
    const changes = compare(manifest(secret('b2xkLXRva2Vu')), manifest(secret('bmV3LXRva2Vu')));
    const text = `${changes.diff.before}${changes.diff.after}`;
    for (const value of ['b2xkLXRva2Vu', 'bmV3LXRva2Vu', 'c29tZS1jb29raWU=']) expect(text).not.toContain(value);
    expect(listDiffSummary(changes.diff)![1]).toBe(
      '~ Secret hub: data["proxy.token"] "(masked)" → "(masked, changed)"',
    );
  });

  it('calls out a deleted claim, and skips documents that are not objects', () => {
    const changes = compare(manifest(claim('1Gi')) + '---\n# only a comment\n---\n', '');
    expect(changes.warnings).toEqual([
      'deletes PersistentVolumeClaim hub-db-dir',
      'touches claims: PersistentVolumeClaim hub-db-dir is deleted',
    ]);
  });
});
