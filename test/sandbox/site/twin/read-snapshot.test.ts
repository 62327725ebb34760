import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../../../../sandbox/site/twin/read-snapshot.js';
import { runApp } from '../../../helpers/run-app.js';
import { sandboxSiteCopy } from '../../../helpers/sandbox-site-copy.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const deploy = fileURLToPath(new URL('../../../../playbooks/deploy-jhub.yml', import.meta.url));
const list = (items: unknown[] = []) => ({ apiVersion: 'v1', kind: 'List', items });

/** The smallest folder `run snapshot` could have written: one node, no volumes, no release. */
async function smallSnapshot(): Promise<string> {
  const dir = `${await tempDir()}/snapshot`;
  const files: Record<string, unknown> = {
    'kubernetes/version.json': { serverVersion: { major: '1', minor: '33', gitVersion: 'v1.33.2' } },
    'kubernetes/nodes.json': list([
      { metadata: { name: 'hub-k8s-master-1', labels: { 'node-role.kubernetes.io/control-plane': '' } } },
    ]),
    'kubernetes/storageclasses.json': list(),
    'kubernetes/pv.json': list(),
    'kubernetes/pvc.json': list(),
    'helm/release.json': null,
    'openstack/volumes.json': [],
    'openstack/floating-ips.json': [],
    'openstack/quotas.json': { volumes: 10 },
  };
  const digests: Record<string, string> = {};
  for (const [file, value] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    const text = `${JSON.stringify(value)}\n`;
    writeFileSync(join(dir, file), text);
    digests[file] = createHash('sha256').update(text).digest('hex');
  }
  const manifest = {
    format: 'jhub-runner-snapshot/1',
    taken: '2026-12-01T00:00:00.000Z',
    site: { name: 'hub', namespace: 'jhub', release: 'jhub' },
    absent: {},
    files: digests,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('a snapshot folder', () => {
  it('is read whole when every file is the one its manifest vouches for', async () => {
    const snapshot = readSnapshot(await smallSnapshot());
    expect(snapshot.siteName).toBe('hub');
    expect(snapshot.version.gitVersion).toBe('v1.33.2');
    expect(snapshot.nodes.map((node) => node.metadata.name)).toEqual(['hub-k8s-master-1']);
  });

  const spoilt: [string, (dir: string) => void, RegExp][] = [
    [
      'changed',
      (dir) => writeFileSync(`${dir}/kubernetes/pv.json`, JSON.stringify(list([{ metadata: { name: 'forged' } }]))),
      /kubernetes\/pv\.json: changed since the snapshot was taken \(its sha256 differs from manifest\.json\)/,
    ],
    [
      'partial',
      (dir) => rmSync(`${dir}/kubernetes/pvc.json`),
      /kubernetes\/pvc\.json: missing: the snapshot is partial; take it again/,
    ],
    [
      'not a snapshot',
      (dir) => rmSync(`${dir}/manifest.json`),
      /manifest\.json: missing: this is not a folder `run snapshot` wrote/,
    ],
    ['corrupt', (dir) => writeFileSync(`${dir}/manifest.json`, '{"format": '), /manifest\.json: not JSON/],
  ];
  for (const [what, spoil, says] of spoilt)
    it(`refuses a ${what} one with exit 3 naming the file, before anything of the twin is made`, async () => {
      const dir = await smallSnapshot();
      spoil(dir);
      const twin = await sandboxSiteCopy({ from_snapshot: dir });
      const run = await runApp([deploy, '-i', twin, '--check']);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(new RegExp(`sandbox\\.from_snapshot: ${dir}/${says.source}`));
      expect(run.runner.calls).toHaveLength(0);
      expect(existsSync(`${twin}/.state/cluster.jsonl`)).toBe(false);
      expect(existsSync(`${twin}/terraform/terraform.tfstate`)).toBe(false);
    });
});
