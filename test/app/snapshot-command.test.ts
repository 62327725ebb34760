import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { processRunner } from '../../runner/exec/process-runner.js';
import { SecretMasker } from '../../runner/vars/secret-masker.js';
import { takeSnapshot } from '../../runner/app/snapshot/take-snapshot.js';
import { cloudOperations } from '../../sandbox/cloud/cloud-ledger.js';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { onSite } from '../helpers/on-site.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The secret and the forms a tool may have printed it in. */
const forms = (secret: string) => [
  secret,
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
];

describe('run snapshot', () => {
  it.runIf(openstackTestsRun)(
    "writes the site's nodes, classes, volumes, release and cloud, whole and only for the operator, with no secret of any source in it",
    async () => {
      const inventorySecret = 'canary-inventory-1f7c2a9d';
      const clientSecret = 'canary-client-secret-8b3e';
      const innocentToken = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr';
      const volumeToken = 'canary-volume-token-5d2e';
      const site = await sandboxSiteCopy({}, { site_canary: { secret: inventorySecret } });
      const config = parse(readFileSync(`${site}/config.yaml`, 'utf8')) as Record<string, any>;
      config['hub'] = {
        ...config['hub'],
        config: { GitHubOAuthenticator: { client_id: 'hub-client', client_secret: clientSecret } },
        extraEnv: { NOTE: innocentToken },
      };
      writeFileSync(`${site}/config.yaml`, stringify(config));
      const deploy = await runApp([`${root}/playbooks/deploy-jhub.yml`, '-i', site]);
      expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
      const generated = parse(readFileSync(`${site}/.state/secrets.yaml`, 'utf8')) as Record<string, any>;
      await onSite(site, async (kubectl, openstack) => {
        // A secret of the inventory where a person may have put it: an annotation, and an event's message.
        await kubectl(['annotate', 'service', 'proxy-public', '-n', 'jhub', `note=${inventorySecret}`]);
        await kubectl(
          ['create', '-f', '-'],
          stringify({
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: 'canary', namespace: 'jhub' },
            involvedObject: { kind: 'Service', name: 'proxy-public', namespace: 'jhub' },
            reason: 'Note',
            message: `token is ${inventorySecret}`,
            type: 'Normal',
            lastTimestamp: new Date().toISOString(),
          }),
        );
        const volumes = JSON.parse((await openstack(['volume', 'list', '-f', 'json'])).stdout) as { ID: string }[];
        const set = await openstack(['volume', 'set', '--property', `token=${volumeToken}`, volumes[0]!.ID]);
        expect(set.exitCode, set.stderr).toBe(0);
      });

      const out = `${await tempDir()}/snap`;
      const run = await runApp(['snapshot', '-i', site, '-o', out]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(
        /^Reading site sandbox \(simulated, on this machine\) \(read-only: nothing is written to the site\)\n/,
      );
      expect(run.stdout).toMatch(/ {2}kubernetes: v1\.33\.9-sim, 3 node\(s\): k8s-master, k8s-node-1, k8s-node-2\n/);
      expect(run.stdout).toMatch(
        / {2}volumes: 8 PV\(s\) \((7 Bound, 1 Released|1 Released, 7 Bound)\), 6 claim\(s\) in jhub, 8 Cinder volume\(s\)\n/,
      );
      expect(run.stdout).toMatch(/ {2}release: jhub jupyterhub-4\.2\.0, revision 1, deployed\n/);
      expect(run.stdout).toMatch(/snapshot written to \S+snap \(\d+ files, \d+ secret value\(s\) left out\)\n$/);

      // Only the operator reads it, and every file is the one the manifest vouches for.
      expect(statSync(out).mode & 0o777).toBe(0o700);
      const manifest = JSON.parse(readFileSync(`${out}/manifest.json`, 'utf8'));
      const files = filesUnder(out).map((path) => relative(out, path));
      expect(files.sort()).toEqual([...Object.keys(manifest.files), 'manifest.json'].sort());
      for (const file of files) {
        expect(statSync(join(out, file)).mode & 0o777, file).toBe(0o600);
        if (file !== 'manifest.json')
          expect(
            createHash('sha256')
              .update(readFileSync(join(out, file)))
              .digest('hex'),
            file,
          ).toBe(manifest.files[file]);
      }
      expect(manifest.tools).toMatchObject({ kubernetes: 'v1.33.9-sim', kubectl: 'v1.33.9' });
      expect(manifest.tools.helm).toMatch(/^v4\./);
      expect(manifest.absent).toEqual({});

      const all = files.map((file) => readFileSync(join(out, file), 'utf8')).join('\n');
      for (const secret of [
        inventorySecret,
        clientSecret,
        innocentToken,
        volumeToken,
        generated['hub'].cookieSecret,
        generated['proxy'].secretToken,
      ])
        for (const form of forms(secret)) expect(all, `${secret} as ${form}`).not.toContain(form);
      // What is left out says so, and what is not secret stays: the client's ID, the volumes' IDs.
      const values = JSON.parse(readFileSync(`${out}/helm/values.json`, 'utf8'));
      expect(values.hub.config.GitHubOAuthenticator).toEqual({
        client_id: 'hub-client',
        client_secret: '(secret: not in the snapshot)',
      });
      expect(values.hub.extraEnv.NOTE).toBe('(secret: not in the snapshot)');
      const service = JSON.parse(readFileSync(`${out}/kubernetes/services.json`, 'utf8')).items.find(
        (item: any) => item.metadata.name === 'proxy-public',
      );
      expect(service.metadata.annotations.note).toBe('(secret: not in the snapshot)');
      const cinder = JSON.parse(readFileSync(`${out}/openstack/volumes.json`, 'utf8')) as Record<string, any>[];
      expect(cinder.filter((volume) => volume['Properties']?.token === '(secret: not in the snapshot)')).toHaveLength(
        1,
      );
      const pvs = JSON.parse(readFileSync(`${out}/kubernetes/pv.json`, 'utf8')).items;
      const volumeIds = (JSON.parse(readFileSync(`${out}/openstack/volumes.json`, 'utf8')) as { ID: string }[]).map(
        (volume) => volume.ID,
      );
      for (const pv of pvs) expect(volumeIds).toContain(pv.spec.csi?.volumeHandle ?? pv.spec.cinder?.volumeID);
      expect(pvs.every((pv: any) => pv.metadata.managedFields === undefined)).toBe(true);

      // A second snapshot to the same folder is refused before anything is read; --force replaces it whole.
      const again = await runApp(['snapshot', '-i', site, '-o', out]);
      expect(again.code).toBe(4);
      expect(again.stderr).toMatch(
        /^refused: \S+snap exists; a snapshot never writes over one \(pass --force to replace it\)\n$/,
      );
      expect(again.runner.calls).toHaveLength(0);
      const forced = await runApp(['snapshot', '-i', site, '-o', out, '--force']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(JSON.parse(readFileSync(`${out}/manifest.json`, 'utf8')).taken).not.toBe(manifest.taken);
      expect(readdirSync(join(out, '..'))).toEqual(['snap']);
    },
    240_000,
  );

  it.runIf(openstackTestsRun)(
    'reads only: no write reaches the Kubernetes API, the cloud or terraform',
    async () => {
      const site = await sandboxSiteCopy({});
      await onSite(site, async (_kubectl, _openstack, running) => {
        const state = readFileSync(`${site}/terraform/terraform.tfstate`);
        const writes = running.apiWrites();
        const ledger = cloudOperations(`${site}/.state`).length;
        const cinderCalls = running.openstack.requests.length;
        const masker = new SecretMasker();
        const runner = {
          run: (request: Parameters<typeof processRunner.run>[0]) =>
            processRunner.run({ ...request, env: { ...running.env, ...request.env } }),
        };
        const vars = {
          namespace: 'jhub',
          release: 'jhub',
          openstack_cloud: 'sandbox',
          terraform_dir: `${site}/terraform`,
        };
        const taken = await takeSnapshot(runner, vars, masker, new Date());
        expect([...taken.files.keys()]).toContain('terraform/state.json');
        expect(running.apiWrites()).toBe(writes);
        expect(cloudOperations(`${site}/.state`)).toHaveLength(ledger);
        expect(readFileSync(`${site}/terraform/terraform.tfstate`).equals(state)).toBe(true);
        const calls = running.openstack.requests.slice(cinderCalls);
        expect(calls.length).toBeGreaterThan(0);
        expect(calls.filter((call) => !call.startsWith('GET '))).toEqual([]);
      });
    },
    120_000,
  );

  it('refuses an inventory that does not load with exit 3, and a site it cannot read with exit 1, writing nothing', async () => {
    const out = `${await tempDir()}/snap`;
    const missing = await runApp(['snapshot', '-i', `${out}-no-such-site`, '-o', out]);
    expect(missing.code).toBe(3);
    expect(missing.runner.calls).toHaveLength(0);
    const dir = await tempDir({
      'site.yml': 'site_name: gone\nkubeconfig: /nowhere/admin.conf\nkubectl_binary: /nowhere/kubectl\n',
    });
    const unreadable = await runApp(['snapshot', '-i', `${dir}/site.yml`, '-o', out]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toMatch(
      /^snapshot not written: kubernetes\/\S+\.json: \/nowhere\/kubectl --kubeconfig \/nowhere\/admin\.conf \S+ .*failed/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, '..'))).toEqual([]);
  });

  it.runIf(openstackTestsRun)(
    'says it cannot write where a file is in the way, with exit 5, no stack trace and nothing left behind',
    async () => {
      const site = await sandboxSiteCopy({ seed: { users: 1 } });
      const dir = await tempDir({ 'a-file': 'not a folder\n' });
      const run = await runApp(['snapshot', '-i', site, '-o', `${dir}/a-file/snap`]);
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(
        /^snapshot not written: cannot write \S+\/a-file\/snap: EEXIST: file already exists, mkdir '\S+\/a-file'/,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir)).toEqual(['a-file']);
    },
    120_000,
  );
});
