import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { parse } from 'yaml';
import { processRunner } from '../../runner/exec/process-runner.js';
import { sandboxConfig } from '../../sandbox/site/sandbox-config.js';
import { startSandboxSite, type SandboxSite } from '../../sandbox/site/sandbox-site.js';

export type SiteKubectl = (
  args: string[],
  input?: string,
) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

/**
 * Starts a sandbox site in this process, as an operator's own kubectl (and the real openstack client,
 * on the site's cloud) would find it, for work done by hand between runs.
 */
export async function onSite<T>(
  site: string,
  work: (kubectl: SiteKubectl, openstack: SiteKubectl, running: SandboxSite) => Promise<T>,
): Promise<T> {
  const raw = (parse(readFileSync(`${site}/site.yml`, 'utf8')) as { sandbox: Record<string, unknown> }).sandbox;
  const running = await startSandboxSite(sandboxConfig(raw, site, `${site}/terraform`), processRunner);
  const tool =
    (program: string, head: string[]): SiteKubectl =>
    async (args, input) => {
      const result = await execa(program, [...head, ...args], {
        env: { ...process.env, ...running.env },
        reject: false,
        ...(input !== undefined ? { input } : {}),
      });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    };
  try {
    return await work(tool('kubectl', []), tool('openstack', ['--os-cloud', 'sandbox']), running);
  } finally {
    await running.stop();
  }
}

/** Polls kubectl until `done` holds for what it prints (a binding takes a controller pass or two), or fails after `timeoutMs`. */
export async function until(
  kubectl: SiteKubectl,
  args: string[],
  done: (json: any) => boolean,
  timeoutMs = 10_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await kubectl([...args, '-o', 'json']);
    const json = result.exitCode === 0 ? JSON.parse(result.stdout) : undefined;
    if (json !== undefined && done(json)) return json;
    if (Date.now() > deadline)
      throw new Error(`kubectl ${args.join(' ')} never met the condition: ${result.stdout || result.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A user arriving as KubeSpawner makes them: a claim of the default class, and a server pod that mounts it. */
export function userManifests(user: string, namespace = 'jhub'): string {
  return [
    `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim-${user}, namespace: ${namespace}, annotations: {hub.jupyter.org/username: ${user}}, labels: {component: singleuser-storage}}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n`,
    `apiVersion: v1\nkind: Pod\nmetadata: {name: jupyter-${user}, namespace: ${namespace}, labels: {component: singleuser-server}}\nspec:\n  containers: [{name: notebook, image: quay.io/jupyterhub/k8s-singleuser-sample:4.2.0}]\n  volumes: [{name: home, persistentVolumeClaim: {claimName: claim-${user}}}]\n`,
  ].join('---\n');
}
