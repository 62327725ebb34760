import { execa } from 'execa';
import { afterEach } from 'vitest';
import { kubeBinaries, kubernetesVersion, type KubeToolchain } from '../../sandbox/kube-binaries.js';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../../sandbox/kube/api-server.js';
import { writeKubeconfig } from '../../sandbox/kube/kubeconfig.js';
import { tempDir } from './temp-dir.js';

const running: KubeApiServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

export interface KubeSandbox {
  server: KubeApiServer;
  dir: string;
  kubeconfig: string;
  kubectl: (args: string[], input?: string) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
  helm: (args: string[]) => Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/** A simulated API server of the toolchain's Kubernetes release for one test, and the real kubectl of that toolchain pointed at it. */
export async function kubeSandbox(
  toolchain: KubeToolchain,
  files: Record<string, string> = {},
  options: KubeApiServerOptions = {},
): Promise<KubeSandbox> {
  const server = await startKubeApiServer({ version: kubernetesVersion(toolchain), ...options });
  running.push(server);
  const dir = await tempDir(files);
  const kubeconfig = `${dir}/kubeconfig`;
  await writeKubeconfig(kubeconfig, server.url);
  const { kubectl, helm } = await kubeBinaries(toolchain);
  // helm keeps its repositories and cache under HOME; each sandbox gets its own.
  const helmEnv = {
    HOME: dir,
    HELM_CACHE_HOME: `${dir}/.cache/helm`,
    HELM_CONFIG_HOME: `${dir}/.config/helm`,
    HELM_DATA_HOME: `${dir}/.local/share/helm`,
  };
  return {
    server,
    dir,
    kubeconfig,
    kubectl: async (args, input) => {
      const result = await execa(kubectl, ['--kubeconfig', kubeconfig, ...args], {
        reject: false,
        cwd: dir,
        ...(input !== undefined ? { input } : {}),
      });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
    helm: async (args) => {
      const result = await execa(helm, ['--kubeconfig', kubeconfig, ...args], {
        reject: false,
        cwd: dir,
        env: helmEnv,
      });
      return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
    },
  };
}
