import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeBinaries } from '../../sandbox/kube-binaries.js';
import { helmRepoPlugin } from '../../runner/plugins/helm-repo.js';
import { chartRepo } from '../helpers/chart-repo.js';
import { runEngine } from '../helpers/engine-harness.js';
import { tempDir } from '../helpers/temp-dir.js';
import { kubeSandbox } from '../helpers/kube-sandbox.js';

const chart = fileURLToPath(new URL('../fixtures/charts/tiny', import.meta.url));

const playbook = `
name: repo
steps:
  - name: chart repository
    helm.repo: {binary: "{{ helm }}", name: sandbox, url: "{{ url }}"}
`;

describe.each(['v33', 'v30'] as const)('helm.repo with the real helm of toolchain %s', (toolchain) => {
  it("adds the repository once, re-points it when the URL changes, and fails with helm's error", async () => {
    const dir = await tempDir();
    // helm keeps repositories under these directories; the test must not touch the machine's own.
    process.env['HELM_CONFIG_HOME'] = `${dir}/config`;
    process.env['HELM_CACHE_HOME'] = `${dir}/cache`;
    process.env['HELM_DATA_HOME'] = `${dir}/data`;
    const { helm } = await kubeBinaries(toolchain);
    const url = await chartRepo(helm, chart);
    const first = await runEngine(playbook, { dir, vars: { helm, url } });
    expect(first.ends[0]).toMatchObject({ status: 'changed', reason: `add repository sandbox (${url})` });
    const second = await runEngine(playbook, { dir, vars: { helm, url } });
    expect(second.ends[0]).toMatchObject({ status: 'ok', reason: `repository sandbox is ${url}` });
    const other = await chartRepo(helm, chart);
    const moved = await runEngine(playbook, { dir, vars: { helm, url: other } });
    expect(moved.ends[0]).toMatchObject({ status: 'changed', reason: `repository sandbox: ${url} -> ${other}` });
    const broken = await runEngine(playbook.replace('sandbox', 'broken'), {
      dir,
      vars: { helm, url: 'http://127.0.0.1:9/' },
    });
    expect(broken.ends[0]!.status).toBe('failed');
    expect(broken.ends[0]!.error).toMatch(/is not a valid chart repository or cannot be reached/);
  });
});

describe.each(['v33', 'v30'] as const)('a repository chart through helm.release, toolchain %s', (toolchain) => {
  it('installs a pinned chart from the added repository, then is ok', async () => {
    const sandbox = await kubeSandbox(toolchain);
    process.env['HELM_CONFIG_HOME'] = `${sandbox.dir}/config`;
    process.env['HELM_CACHE_HOME'] = `${sandbox.dir}/cache`;
    process.env['HELM_DATA_HOME'] = `${sandbox.dir}/data`;
    const { helm } = await kubeBinaries(toolchain);
    const url = await chartRepo(helm, chart);
    const deploy = `
name: deploy
steps:
  - name: repository
    helm.repo: {binary: "{{ helm }}", name: sandbox, url: "{{ url }}"}
  - name: release
    helm.release: {binary: "{{ helm }}", kubeconfig: "{{ kubeconfig }}", release: jhub, chart: sandbox/tiny, version: 0.1.0, namespace: jhub, timeout: 1m}
`;
    const first = await runEngine(deploy, { dir: sandbox.dir, vars: { helm, url, kubeconfig: sandbox.kubeconfig } });
    expect(first.ends.map((end) => end.status)).toEqual(['changed', 'changed']);
    const second = await runEngine(deploy, { dir: sandbox.dir, vars: { helm, url, kubeconfig: sandbox.kubeconfig } });
    expect(second.recap).toMatchObject({ ok: 2, changed: 0 });
  });
});

describe('helm.repo plan', () => {
  it('ignores a trailing slash when comparing URLs', () => {
    expect(
      helmRepoPlugin.plan({ name: 'jupyterhub', url: 'https://jupyterhub.github.io/helm-chart/' }, [
        { name: 'jupyterhub', url: 'https://jupyterhub.github.io/helm-chart' },
      ]).change,
    ).toBe('none');
  });
});
