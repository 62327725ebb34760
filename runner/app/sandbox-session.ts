import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessRunner } from '../exec/exec-result.js';
import { InputError } from '../input/input-error.js';
import { loadRunningSite, sandboxConfig, sandboxSchema, type RawSandbox } from '../../sandbox/index.js';

export interface SandboxSession {
  runner: ProcessRunner;
  summary(): Promise<string[]>;
  close(): Promise<void>;
}

function checkShape(raw: unknown): RawSandbox {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError({
      message: "the inventory's 'sandbox' must be a map (state_dir, toolchain, cert_manager, seed)",
    });
  const known = new Set(Object.keys(sandboxSchema.properties));
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  if (unknown.length)
    throw new InputError({
      message: `the inventory's 'sandbox' has unknown key(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`,
    });
  const toolchain = (raw as RawSandbox).toolchain;
  if (toolchain !== undefined && toolchain !== 'v33' && toolchain !== 'v30')
    throw new InputError({
      message: `sandbox.toolchain must be v33 (kubectl 1.33.9, helm 4.1.4) or v30 (kubectl 1.30.0, helm 3.17.1), not ${String(toolchain)}`,
    });
  return raw as RawSandbox;
}

/** Whether the site's values describe the simulated site (a `sandbox:` map) rather than a real one. */
export function isSandboxed(vars: Readonly<Record<string, unknown>>): boolean {
  return vars['sandbox'] !== undefined && vars['sandbox'] !== null;
}

/** The simulated site behind a sandbox inventory, started on first need; tools then run with its PATH and KUBECONFIG. */
export async function openSandbox(
  vars: Readonly<Record<string, unknown>>,
  inventoryDir: string,
  runner: ProcessRunner,
  say: (line: string) => void = () => {},
): Promise<SandboxSession> {
  const raw = checkShape(vars['sandbox']);
  // Variables are rendered once already: a value written as {% raw %}{{ x }}{% endraw %} is the text {{ x }} now, and stays so.
  const terraformDir = String(vars['terraform_dir'] ?? `${inventoryDir}/terraform`);
  const { startSandboxSite, SandboxSetupError, siteSummary, cloudWriteCount, floatingIp, userVolumes, twinReport } =
    await loadRunningSite();
  const config = sandboxConfig(raw, inventoryDir, terraformDir);
  // Seeding takes seconds on a first run: said before it starts, not after the recap.
  if (config.seed && !existsSync(join(config.stateDir, 'cluster.jsonl')))
    say(
      `setting up the ${config.controlPlane === 'real' ? 'sandbox site on the real control plane' : 'simulated site'} in ${config.stateDir} (first run: a cloud, Kubernetes and its seeded users; a few seconds)`,
    );
  let site;
  try {
    site = await startSandboxSite(config, runner);
  } catch (error) {
    if (error instanceof SandboxSetupError) throw new InputError({ message: error.message });
    throw error;
  }
  for (const line of site.seeded) say(`sandbox seeded: ${line}`);
  const baseline = {
    apiWrites: site.apiWrites(),
    cloudWrites: cloudWriteCount(site.stateDir),
    floatingIp: floatingIp(site.terraformDir),
    userVolumes: userVolumes(await site.objects()),
  };
  return {
    runner: { run: (request, signal) => runner.run({ ...request, env: { ...site.env, ...request.env } }, signal) },
    summary: async () => {
      const objects = await site.objects();
      const lines = siteSummary(
        objects,
        site.apiWrites(),
        site.controlPlane,
        site.terraformDir,
        site.stateDir,
        baseline,
        site.terraform,
      );
      // A twin's run ends with its site's users, before and after, to compare with the real site.
      return site.snapshot ? [...lines, ...twinReport(site.snapshot, objects, floatingIp(site.terraformDir))] : lines;
    },
    close: () => site.stop(),
  };
}
