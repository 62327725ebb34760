import { describe, expect, it } from 'vitest';
import { waitUntilPlugin } from '../../runner/plugins/wait-until.js';
import { PlanError } from '../../runner/plugin-contract/plan-error.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';

const args = {
  argv: ['kubectl', 'get', 'deploy', 'hub', '-o', 'json'],
  condition: 'result.json.status.readyReplicas == 1',
  timeout: 60,
  interval: 2,
  description: 'the hub to be ready',
};

async function observe(stdout: string, exitCode = 0, stderr = '') {
  return waitUntilPlugin.probe!(args, fakeProbeIO({ run: async () => ({ exitCode, stdout, stderr }) }));
}

describe('wait.until', () => {
  it('is ok when the condition holds, over parsed JSON', async () => {
    const plan = waitUntilPlugin.plan(args, await observe('{"status":{"readyReplicas":1}}'));
    expect(plan).toMatchObject({ change: 'none', reason: 'the hub to be ready: holds', actions: [] });
  });

  it("asks to poll while it does not hold, with the tool's error when it failed", async () => {
    const notReady = waitUntilPlugin.plan(args, await observe('{"status":{}}'));
    expect(notReady).toMatchObject({
      change: 'run',
      reason: 'not yet',
      poll: { waitingFor: 'the hub to be ready', intervalSeconds: 2, timeoutSeconds: 60 },
    });
    const failing = waitUntilPlugin.plan(
      args,
      await observe('', 1, 'Error from server (NotFound): deployments.apps "hub" not found'),
    );
    expect(failing.reason).toBe(
      'not yet (kubectl exited 1: Error from server (NotFound): deployments.apps "hub" not found)',
    );
  });

  it('without facts (a dry run) says what it would observe', () => {
    expect(waitUntilPlugin.plan(args, undefined)).toMatchObject({
      change: 'run',
      reason: `observe ${args.argv.join(' ')} until ${args.condition}`,
    });
  });

  it('reports a condition that cannot be evaluated', async () => {
    expect(() =>
      waitUntilPlugin.plan({ ...args, condition: 'result.rc ==' }, { rc: 0, stdout: '', stderr: '', stdout_lines: [] }),
    ).toThrow(PlanError);
  });
});
