import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backupFiles, backupMismatch, clusterKubectl } from '../../runner/app/backup-witness.js';
import { destructionGuard } from '../../runner/app/destruction-guard.js';
import type { ExecRequest } from '../../runner/exec/exec-result.js';
import { tempDir } from '../helpers/temp-dir.js';

const claim = (name: string, volume: string) => ({
  metadata: { name, namespace: 'jhub', uid: `uid-${name}` },
  spec: { volumeName: volume },
  status: { phase: 'Bound' },
});
const volume = (name: string, claimName: string, handle: string) => ({
  metadata: { name },
  spec: { claimRef: { namespace: 'jhub', name: claimName, uid: `uid-${claimName}` }, csi: { volumeHandle: handle } },
  status: { phase: 'Bound' },
});
const list = (items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

const liveClaims = [claim('claim-ada', 'pv-1'), claim('claim-bob', 'pv-2')];
const liveVolumes = [volume('pv-1', 'claim-ada', 'cinder-1'), volume('pv-2', 'claim-bob', 'cinder-2')];

/** kubectl as the live cluster answers it: the claims of jhub and every volume, or no server at all. */
function cluster(answer: 'up' | 'gone' = 'up') {
  const calls: string[][] = [];
  const run = async ({ argv }: ExecRequest) => {
    calls.push(argv);
    if (answer === 'gone')
      return {
        exitCode: 1,
        stdout: '',
        stderr: 'E1207 memcache.go\nUnable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout\n',
      };
    return {
      exitCode: 0,
      stdout: list(argv.includes('persistentvolumeclaims') ? liveClaims : liveVolumes),
      stderr: '',
    };
  };
  return { run, calls };
}

async function backup(claims: object[], volumes: object[]) {
  const dir = await tempDir({ 'pvc.json': list(claims), 'pv.json': list(volumes) });
  return { dir, namespace: 'jhub', files: backupFiles(dir) };
}

describe('a backup, compared with the cluster when a destruction is decided', () => {
  it('matches when it holds every Bound claim with its volume and cloud volume, and reads the cluster with the given kubectl', async () => {
    const { run, calls } = cluster();
    expect(
      await backupMismatch(await backup(liveClaims, liveVolumes), ['kubectl', '--context', 'old'], run),
    ).toBeUndefined();
    expect(calls.map((argv) => argv.slice(0, 3))).toEqual([
      ['kubectl', '--context', 'old'],
      ['kubectl', '--context', 'old'],
    ]);
  });

  it('refuses a forged folder: one claim nobody has, an empty volume list', async () => {
    const forged = await backup([claim('nobody', 'pv-x')], []);
    expect(await backupMismatch(forged, ['kubectl'], cluster().run)).toBe(
      'it does not hold 2 claim(s) Bound in jhub now, as they are: claim-ada (volume pv-1), claim-bob (volume pv-2)',
    );
  });

  it("refuses another site's backup of the same names: the cloud volumes differ", async () => {
    const foreign = await backup(liveClaims, [
      volume('pv-1', 'claim-ada', 'elsewhere-1'),
      volume('pv-2', 'claim-bob', 'cinder-2'),
    ]);
    expect(await backupMismatch(foreign, ['kubectl'], cluster().run)).toContain(
      'claim-ada (volume pv-1): cloud volume cinder-1 now, elsewhere-1 in the backup',
    );
  });

  it('refuses a backup taken before a user arrived', async () => {
    const early = await backup([liveClaims[0]!], [liveVolumes[0]!]);
    expect(await backupMismatch(early, ['kubectl'], cluster().run)).toContain('claim-bob (volume pv-2)');
  });

  it('refuses a backup whose files are gone or changed since it was taken, before asking the cluster', async () => {
    const gone = await backup(liveClaims, liveVolumes);
    rmSync(`${gone.dir}/pv.json`);
    const { run, calls } = cluster();
    expect(await backupMismatch(gone, ['kubectl'], run)).toBe(`${gone.dir}/pv.json is gone`);
    const edited = await backup(liveClaims, liveVolumes);
    writeFileSync(`${edited.dir}/pvc.json`, list(liveClaims.slice(1)));
    expect(await backupMismatch(edited, ['kubectl'], run)).toBe(
      `${edited.dir}/pvc.json changed since the backup was taken`,
    );
    expect(calls).toEqual([]);
  });

  it('trusts the files alone when no cluster answers any more (already destroyed): nothing is left there to lose', async () => {
    expect(
      await backupMismatch(await backup(liveClaims, liveVolumes), ['kubectl'], cluster('gone').run),
    ).toBeUndefined();
  });

  it("reads the cluster through the step's own connection, else the inventory's", () => {
    const vars = { kubectl_binary: '/opt/kubectl', kubeconfig: '/site/kubeconfig', kube_context: 'prod' };
    expect(clusterKubectl(undefined, vars)).toEqual([
      '/opt/kubectl',
      '--kubeconfig',
      '/site/kubeconfig',
      '--context',
      'prod',
    ]);
    expect(clusterKubectl({ context: 'staging' }, vars)).toEqual([
      '/opt/kubectl',
      '--kubeconfig',
      '/site/kubeconfig',
      '--context',
      'staging',
    ]);
    expect(clusterKubectl({}, {})).toEqual(['kubectl']);
  });
});

describe('the destruction guard with a witness', () => {
  it('refuses, whatever --yes says, when the covering backup does not match the cluster now', async () => {
    const forged = await backup([claim('nobody', 'pv-x')], []);
    const { run } = cluster();
    const guard = destructionGuard({
      yes: true,
      named: [forged],
      witness: (covered) => backupMismatch(covered, ['kubectl'], run),
    });
    const step = { index: 3, name: 'delete', plugin: 'kubectl.delete' };
    expect(await guard.approve({ what: 'Namespace/jhub', namespace: 'jhub' }, step)).toBe(
      `refused to destroy Namespace/jhub: the backup in ${forged.dir} does not match what it protects now: it does not hold 2 claim(s) Bound in jhub now, as they are: claim-ada (volume pv-1), claim-bob (volume pv-2). Take a new backup (a new run_id), or name a current one with --backup <dir>`,
    );
    // The whole cluster (a terraform destroy): every namespace a backup covers is compared.
    expect(await guard.approve({ what: '9 terraform resource(s)' }, step)).toMatch(
      /does not match what it protects now/,
    );
  });
});
