import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseTerraform } from '../../sandbox/cloud/find-terraform.js';
import { processRunner } from '../../runner/exec/process-runner.js';
import type { RecordingRunner } from './recording-runner.js';
import { tempDir } from './temp-dir.js';

export type TerraformEngine = 'real' | 'stand-in';

const sandboxConfig = fileURLToPath(new URL('../../inventory/sandbox/terraform', import.meta.url));
const standIn = fileURLToPath(new URL('../../sandbox/bin/sim-terraform.mjs', import.meta.url));
const simCloud = fileURLToPath(new URL('../../sandbox/bin/sim-cloud.mjs', import.meta.url));

/** The real terraform on this machine, if any: where it is, the suite runs every terraform test with both. */
export const realTerraform = chooseTerraform('auto', []);

export const terraformEngines: TerraformEngine[] = realTerraform.kind === 'real' ? ['real', 'stand-in'] : ['stand-in'];

/** A working directory holding the sandbox's cloud configuration, the cloud's own state folder, and PATH with terraform (as `terraform` and `tofu`) and sim-cloud. */
export async function cloudSite(engine: TerraformEngine, cloud: { latencyMs?: number; fail?: string[] } = {}) {
  const root = await tempDir();
  const dir = join(root, 'terraform');
  cpSync(sandboxConfig, dir, {
    recursive: true,
    filter: (source) => !/terraform\.tfstate|\.terraform$|\.terraform\.lock/.test(source),
  });
  const stateDir = join(root, 'state');
  const bin = join(root, 'bin');
  mkdirSync(stateDir);
  mkdirSync(bin);
  const binary = engine === 'real' && realTerraform.kind === 'real' ? realTerraform.path : standIn;
  symlinkSync(binary, join(bin, 'terraform'));
  symlinkSync(binary, join(bin, 'tofu'));
  symlinkSync(simCloud, join(bin, 'sim-cloud'));
  const env: Record<string, string> = {
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    JHUB_SANDBOX_STATE_DIR: stateDir,
    JHUB_SANDBOX_CLOUD_LATENCY_MS: String(cloud.latencyMs ?? 0),
    JHUB_SANDBOX_CLOUD_FAIL: (cloud.fail ?? []).join(','),
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: '/dev/null',
  };
  return { root, dir, stateDir, bin, env, terraform: join(bin, 'terraform'), tofu: join(bin, 'tofu') };
}

/** A recording runner whose every command runs in the cloud site's environment, as the sandbox's tools do. */
export function siteRunner(env: Record<string, string>): RecordingRunner {
  const calls: RecordingRunner['calls'] = [];
  return {
    calls,
    run(request, signal) {
      calls.push(request);
      return processRunner.run({ ...request, env: { ...env, ...request.env } }, signal);
    },
  };
}
