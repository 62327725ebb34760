import { cloudOperations, recordCloudOperation, type CloudOperation } from './cloud-ledger.js';
import { holdIfAsked, holdPointOf, type HoldPoint } from '../support/hold-point.js';

/** How the simulated cloud answers, from the sandbox's environment: its state folder, a delay per call, names it refuses to create, and where a test holds it. */
export interface CloudSettings {
  stateDir?: string;
  latencyMs: number;
  failing: ReadonlySet<string>;
  hold?: HoldPoint;
}

export function cloudSettings(env: NodeJS.ProcessEnv): CloudSettings {
  const hold = holdPointOf(env);
  return {
    ...(env['JHUB_SANDBOX_STATE_DIR'] ? { stateDir: env['JHUB_SANDBOX_STATE_DIR'] } : {}),
    latencyMs: Number(env['JHUB_SANDBOX_CLOUD_LATENCY_MS'] ?? 0) || 0,
    failing: new Set((env['JHUB_SANDBOX_CLOUD_FAIL'] ?? '').split(',').filter(Boolean)),
    ...(hold ? { hold } : {}),
  };
}

/** What Nova or Neutron answers when a create is refused, as terraform's OpenStack provider prints it. */
function refusal(operation: Omit<CloudOperation, 'at'>): string {
  if (operation.kind === 'instance') {
    return `Error creating OpenStack server: Expected HTTP response code [202] when accessing [POST /compute/v2.1/servers], but got 403 instead: {"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}} (${operation.name})`;
  }
  return `Error creating OpenStack ${operation.kind} ${operation.name ?? operation.id}: the cloud refused the request (403)`;
}

/** One call to the simulated cloud: it may be held by a test (point `cloud-create` or `cloud-delete`), takes its time, may be refused, and is recorded once it completes. */
export async function callCloud(
  settings: CloudSettings,
  operation: Omit<CloudOperation, 'at'>,
): Promise<string | undefined> {
  const { stateDir } = settings;
  await holdIfAsked(settings.hold, `cloud-${operation.op}`, () =>
    stateDir ? cloudOperations(stateDir).filter((call) => call.op === operation.op).length : 0,
  );
  if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
  if (operation.op === 'create' && operation.name && settings.failing.has(operation.name)) return refusal(operation);
  if (settings.stateDir) recordCloudOperation(settings.stateDir, operation);
  return undefined;
}
