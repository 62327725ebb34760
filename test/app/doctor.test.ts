import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openstackTestsRun } from '../helpers/openstack-client.js';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('run doctor', () => {
  it.runIf(openstackTestsRun)(
    'passes every check on the simulated site, with the versions it found',
    async () => {
      const site = await sandboxSiteCopy({});
      const run = await runApp(['doctor', '-i', site]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Checking site sandbox \(simulated, on this machine\)\n/);
      for (const check of [
        /ok {4}kubectl +1\.\d+\.\d+/,
        /ok {4}helm +[34]\.\d+/,
        /ok {4}Kubernetes API +answers, Kubernetes v1\.\d+/,
        /ok {4}OpenStack credentials +a token for project \w+ \(cloud sandbox\)/,
        /ok {4}chart repository +http:\/\/127\.0\.0\.1:\d+\/charts\/index\.yaml answers/,
      ])
        expect(run.stdout).toMatch(check);
      expect(run.stdout).toMatch(/all \d+ checks passed\n$/);
    },
    120_000,
  );

  it("names each missing piece of a real site's first run with how to fix it, and exits 1", async () => {
    const dir = await tempDir();
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const site = await tempDir({
      'site.yml': [
        'site_name: new-site',
        `kubeconfig: ${dir}/admin.conf`,
        'helm_binary: /nowhere/helm',
        `terraform_dir: ${dir}/no-terraform`,
        `chart_repo_url: http://127.0.0.1:${closedPort}/charts/`,
        '',
      ].join('\n'),
    });
    const run = await runApp(['doctor', '-i', `${site}/site.yml`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^Checking site new-site \(real: cluster of \S+admin\.conf; terraform in \S+no-terraform\)\n/,
    );
    expect(run.stdout).toMatch(/FAIL {2}helm +command not found: \/nowhere\/helm\n +fix: install helm 3\.12 or later/);
    expect(run.stdout).toMatch(
      /FAIL {2}Kubernetes API +kubeconfig \S+admin\.conf does not exist\n +fix: copy the cluster's admin kubeconfig there/,
    );
    expect(run.stdout).toMatch(/FAIL {2}terraform folder +\S+no-terraform does not exist\n +fix: set terraform_dir/);
    expect(run.stdout).toMatch(
      new RegExp(
        `FAIL {2}chart repository +http://127\\.0\\.0\\.1:${closedPort}/charts/index\\.yaml: fetch failed \\(ECONNREFUSED\\)`,
      ),
    );
    expect(run.stdout).toMatch(/\d+ of \d+ checks failed: fix them before the first run on this site\n$/);
  });

  it('reports a broken inventory as invalid input, starting nothing', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: [unclosed\n' });
    const run = await runApp(['doctor', '-i', `${site}/site.yml`]);
    expect(run.code).toBe(3);
    expect(run.runner.calls).toEqual([]);
  });
});
