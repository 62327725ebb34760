import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { chartVersionOf } from '../../runner/plugins/kube/helm-release-facts.js';
import { helmReleasePlugin } from '../../runner/plugins/helm-release.js';
import { runEngine } from '../helpers/engine-harness.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const chart = fileURLToPath(new URL('../fixtures/charts/tiny', import.meta.url));

const playbook = (values: string) => `
name: deploy
steps:
  - name: release
    helm.release:
      binary: "{{ helm }}"
      kubeconfig: "{{ kubeconfig }}"
      release: jhub
      chart: "{{ chart }}"
      version: 0.1.0
      namespace: jhub
      timeout: 1m
      values_files: ["{{ dir }}/config.yaml"]
      values: ${values}
`;

describe.each(['v33', 'v30'] as const)('helm.release with the real helm of toolchain %s', (toolchain) => {
  it('installs, is ok on the second run with no write, upgrades on drift, keeps secret values off argv', async () => {
    const sandbox = await kubeSandbox(toolchain, { 'config.yaml': 'greeting: from-file\n' });
    const { helm } = await kubeBinaries(toolchain);
    const vars = { helm, kubeconfig: sandbox.kubeconfig, chart };
    const first = await runEngine(
      playbook('{token: {secret: x}}').replace('{token: {secret: x}}', '{token: canary-5e1}'),
      { dir: sandbox.dir, vars, secrets: ['canary-5e1'] },
    );
    expect(first.ends[0]).toMatchObject({ status: 'changed', reason: 'install ' + chart + ' 0.1.0 as jhub' });
    const values = JSON.parse((await sandbox.helm(['get', 'values', 'jhub', '-n', 'jhub', '-o', 'json'])).stdout);
    expect(values).toEqual({ greeting: 'from-file', token: 'canary-5e1' });
    expect(first.runner.calls[first.runner.calls.length - 1]!.argv).not.toContain('canary-5e1');
    expect(JSON.stringify(first.events)).not.toContain('canary-5e1');

    const writes = sandbox.server.mutatingRequests.length;
    const second = await runEngine(playbook('{token: canary-5e1}'), {
      dir: sandbox.dir,
      vars,
      secrets: ['canary-5e1'],
    });
    expect(second.ends[0]).toMatchObject({
      status: 'ok',
      reason: 'jhub is deployed with tiny-0.1.0 and the same values',
    });
    expect(sandbox.server.mutatingRequests.length).toBe(writes);

    const check = await runEngine(playbook('{token: canary-changed}'), {
      dir: sandbox.dir,
      vars,
      mode: 'check',
      secrets: ['canary-5e1', 'canary-changed'],
    });
    expect(check.ends[0]).toMatchObject({ status: 'changed', reason: 'upgrade jhub: values differ' });
    const plan = check.events.find((event) => event.type === 'step:plan') as {
      diffs: { before: string; after: string }[];
    };
    // A key the chart reads as a secret says only that it changes; the masker would have hidden it anyway.
    expect(plan.diffs[0]!.after).toContain('token: (secret, changed)');
    expect(sandbox.server.mutatingRequests.length).toBe(writes);

    const drift = await runEngine(playbook('{token: canary-changed}'), {
      dir: sandbox.dir,
      vars,
      secrets: ['canary-5e1', 'canary-changed'],
    });
    expect(drift.ends[0]).toMatchObject({ status: 'changed' });
    const [release] = JSON.parse((await sandbox.helm(['list', '-n', 'jhub', '-o', 'json'])).stdout);
    expect(release.revision).toBe('2');
  });

  it("fails with helm's own error when the chart does not exist", async () => {
    const sandbox = await kubeSandbox(toolchain, { 'config.yaml': '{}\n' });
    const { helm } = await kubeBinaries(toolchain);
    const run = await runEngine(playbook('{}'), {
      dir: sandbox.dir,
      vars: { helm, kubeconfig: sandbox.kubeconfig, chart: `${sandbox.dir}/no-chart` },
    });
    expect(run.ends[0]!.status).toBe('failed');
    expect(run.ends[0]!.error).toMatch(/exited with code 1: Error: .*no-chart/);
  });
});

describe('helm.release plan', () => {
  it('refuses a values file larger than helm could keep, naming it, before reading it as YAML', () => {
    const huge = `custom:\n  big: "${'x'.repeat(17 * 1024 * 1024)}"\n`;
    expect(() =>
      helmReleasePlugin.plan(
        { release: 'jhub', chart: 'jupyterhub/jupyterhub', namespace: 'jhub', values_files: ['site/config.yaml'] },
        { deployed: undefined, values: {}, files: [huge] } as never,
      ),
    ).toThrow(/^values file site\/config\.yaml is 17 MiB; a values file may be 16 MiB/);
  });

  it('builds the exact argv, values on stdin, and plans everything without facts', () => {
    const plan = helmReleasePlugin.plan(
      {
        release: 'jhub',
        chart: 'jupyterhub/jupyterhub',
        version: '4.2.0',
        namespace: 'jhub',
        values_files: ['config.yaml', 'secrets.yaml'],
        values: { a: 1 },
        kubeconfig: 'kc',
        context: 'prod',
      },
      undefined,
    );
    expect(plan.actions).toEqual([
      {
        kind: 'exec',
        argv: [
          'helm',
          '--kubeconfig',
          'kc',
          '--kube-context',
          'prod',
          'upgrade',
          '--install',
          'jhub',
          'jupyterhub/jupyterhub',
          '--namespace',
          'jhub',
          '--create-namespace',
          '--version',
          '4.2.0',
          '--values',
          'config.yaml',
          '--values',
          'secrets.yaml',
          '--values',
          '-',
          '--wait',
          '--timeout',
          '10m',
        ],
        input: 'a: 1\n',
      },
    ]);
  });

  it('upgrades a release left failed, and when the pinned version differs', () => {
    const facts = {
      deployed: {
        name: 'jhub',
        namespace: 'jhub',
        revision: '3',
        status: 'failed',
        chart: 'jupyterhub-4.1.0',
        app_version: '',
      },
      values: {},
      files: [],
    };
    expect(
      helmReleasePlugin.plan(
        { release: 'jhub', chart: 'jupyterhub/jupyterhub', version: '4.2.0', namespace: 'jhub' },
        facts,
      ).reason,
    ).toBe('upgrade jhub: release is failed, chart 4.1.0 -> 4.2.0');
  });

  it("reads chart versions out of helm list's chart field", () => {
    expect(chartVersionOf('jupyterhub-4.2.0')).toBe('4.2.0');
    expect(chartVersionOf('my-chart-name-1.2.3-rc.1')).toBe('1.2.3-rc.1');
    expect(chartVersionOf('weird')).toBeUndefined();
  });
});

const slowChart = fileURLToPath(new URL('../fixtures/charts/slow', import.meta.url));
const slowPlaybook = `
name: deploy
steps:
  - name: release
    helm.release: {binary: "{{ helm }}", kubeconfig: "{{ kubeconfig }}", release: slow, chart: "{{ chart }}", namespace: jhub, timeout: 1m, values: {greeting: "{{ greeting }}"}}
`;

/** Starts helm on a release that never becomes ready, and kills it (SIGKILL) once it has written its release record as pending. */
async function killHelmWhenPending(
  sandbox: Awaited<ReturnType<typeof kubeSandbox>>,
  helm: string,
  args: string[],
  status: string,
): Promise<void> {
  const { execa } = await import('execa');
  const child = execa(
    helm,
    ['--kubeconfig', sandbox.kubeconfig, ...args, '--set', 'claim=missing', '--wait', '--timeout', '5m'],
    {
      reject: false,
      env: {
        HOME: sandbox.dir,
        HELM_CACHE_HOME: `${sandbox.dir}/.cache/helm`,
        HELM_CONFIG_HOME: `${sandbox.dir}/.config/helm`,
        HELM_DATA_HOME: `${sandbox.dir}/.local/share/helm`,
      },
    },
  );
  for (let tries = 0; tries < 400; tries += 1) {
    const listed = JSON.parse((await sandbox.helm(['list', '-n', 'jhub', '--pending', '-o', 'json'])).stdout || '[]');
    if (listed.some((release: { status: string }) => release.status === status)) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  await child;
}

describe.each(['v33', 'v30'] as const)(
  'helm.release recovers a release an interrupted helm left pending (toolchain %s)',
  (toolchain) => {
    it('removes a first install that never deployed and installs again; rolls a stuck upgrade back to the last deployed revision, then upgrades', async () => {
      const sandbox = await kubeSandbox(toolchain);
      const { helm } = await kubeBinaries(toolchain);
      const vars = { helm, kubeconfig: sandbox.kubeconfig, chart: slowChart, greeting: 'hello' };
      // The claim the chart mounts when all is well: a volume made by hand, bound to it.
      await sandbox.kubectl(['create', 'namespace', 'jhub']);
      await sandbox.kubectl(
        ['apply', '-f', '-'],
        'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], capacity: {storage: 1Gi}, hostPath: {path: /data}, storageClassName: ""}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: jhub}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: "", volumeName: data}\n',
      );
      await killHelmWhenPending(
        sandbox,
        helm,
        ['upgrade', '--install', 'slow', slowChart, '-n', 'jhub', '--create-namespace'],
        'pending-install',
      );
      const stuck = await sandbox.helm(['upgrade', '--install', 'slow', slowChart, '-n', 'jhub']);
      expect(stuck.stderr).toContain('another operation (install/upgrade/rollback) is in progress');

      const installed = await runEngine(slowPlaybook, { dir: sandbox.dir, vars });
      expect(installed.ends[0], JSON.stringify(installed.ends[0])).toMatchObject({ status: 'changed' });
      expect(installed.ends[0]!.reason).toBe(
        'release slow was left pending-install by an interrupted helm and never deployed: uninstall what it started, then install it again: upgrade --install slow',
      );
      expect(
        installed.runner.calls
          .filter((call) => ['uninstall', 'upgrade'].includes(call.argv[3]!))
          .map((call) => call.argv[3]),
      ).toEqual(['uninstall', 'upgrade']);
      expect(JSON.parse((await sandbox.helm(['list', '-n', 'jhub', '-o', 'json'])).stdout)[0]).toMatchObject({
        status: 'deployed',
      });

      await killHelmWhenPending(sandbox, helm, ['upgrade', 'slow', slowChart, '-n', 'jhub'], 'pending-upgrade');
      const upgraded = await runEngine(slowPlaybook, { dir: sandbox.dir, vars: { ...vars, greeting: 'again' } });
      expect(upgraded.ends[0]).toMatchObject({ status: 'changed' });
      expect(upgraded.ends[0]!.reason).toMatch(
        /^release slow was left pending-upgrade \(revision \d+\) by an interrupted helm: roll back to revision \d+, the last deployed, then go on: upgrade --install slow$/,
      );
      const [release] = JSON.parse((await sandbox.helm(['list', '-n', 'jhub', '-o', 'json'])).stdout);
      expect(release.status).toBe('deployed');
      expect(JSON.parse((await sandbox.helm(['get', 'values', 'slow', '-n', 'jhub', '-o', 'json'])).stdout)).toEqual({
        greeting: 'again',
      });
    }, 60_000);
  },
);
