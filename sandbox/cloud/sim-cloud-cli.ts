import { callCloud, cloudSettings } from './cloud-call.js';

/**
 * The simulated cloud's API as the sandbox's terraform configuration calls it: each resource's
 * local-exec provisioners run `sim-cloud create` and, when destroyed, `sim-cloud delete`, with what
 * the resource is in SIM_CLOUD_* variables (no shell: the interpreter is this program).
 */
export async function simCloudCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [op] = argv;
  if (op !== 'create' && op !== 'delete') {
    console.error(`sim-cloud: expected create or delete, got ${argv.join(' ') || 'nothing'}`);
    return 2;
  }
  const settings = cloudSettings(env);
  if (!settings.stateDir) {
    console.error(
      "sim-cloud runs only inside the sandbox (JHUB_SANDBOX_STATE_DIR is not set): run the sandbox's terraform through the runner",
    );
    return 2;
  }
  const kind = env['SIM_CLOUD_KIND'];
  const id = env['SIM_CLOUD_ID'];
  if (!kind || !id) {
    console.error('sim-cloud: SIM_CLOUD_KIND and SIM_CLOUD_ID must be set');
    return 2;
  }
  const error = await callCloud(settings, {
    op,
    kind,
    id,
    ...(env['SIM_CLOUD_NAME'] ? { name: env['SIM_CLOUD_NAME'] } : {}),
    ...(env['SIM_CLOUD_ADDRESS'] ? { address: env['SIM_CLOUD_ADDRESS'] } : {}),
  });
  if (error) {
    console.error(error);
    return 1;
  }
  return 0;
}
