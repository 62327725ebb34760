import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyNamedBackup } from '../../runner/app/named-backup.js';
import { InputError } from '../../runner/input/input-error.js';
import { backupDigest } from '../../runner/plugins/kube/backup-digest.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/pv-restore/${name}`, import.meta.url), 'utf8');

describe('--backup <dir>', () => {
  it("accepts a backup taken by hand with the seed's kubectl get -o yaml, as well as the runner's JSON", async () => {
    const seeds = await tempDir({ 'pv.yaml': fixture('pv-intree.yaml'), 'pvc.yaml': fixture('pvc-intree.yaml') });
    const namespaces = (await verifyNamedBackup(seeds)).map((backup) => backup.namespace);
    expect(namespaces.length).toBeGreaterThan(0);
    const ours = await tempDir({
      'pv.json': JSON.stringify({
        items: [{ metadata: { name: 'pv-a' }, spec: { claimRef: { namespace: 'jhub', name: 'claim-a', uid: 'u1' } } }],
      }),
      'pvc.json': JSON.stringify({
        items: [
          {
            metadata: { name: 'claim-a', namespace: 'jhub', uid: 'u1' },
            spec: { volumeName: 'pv-a' },
            status: { phase: 'Bound' },
          },
        ],
      }),
    });
    expect(await verifyNamedBackup(ours)).toEqual([
      {
        dir: ours,
        namespace: 'jhub',
        // What the folder held when it was named: a destruction checks it still does.
        files: [
          { path: `${ours}/pvc.json`, sha256: backupDigest(readFileSync(`${ours}/pvc.json`, 'utf8')) },
          { path: `${ours}/pv.json`, sha256: backupDigest(readFileSync(`${ours}/pv.json`, 'utf8')) },
        ],
      },
    ]);
  });

  it('refuses a folder without a backup, naming both forms it looks for', async () => {
    const empty = await tempDir();
    const refused = verifyNamedBackup(empty);
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toThrow(
      /pvc\.json does not exist; a backup folder holds pvc\.json and pv\.json \(or the seed's pvc\.yaml and pv\.yaml\)/,
    );
  });

  it('refuses a backup that would not bring every bound claim back', async () => {
    const partial = await tempDir({ 'pv.json': '{"items": []}', 'pvc.yaml': fixture('pvc-intree.yaml') });
    await expect(verifyNamedBackup(partial)).rejects.toThrow(/does not cover \d+ bound claim/);
  });
});
