import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holdIfAsked, holdPointOf } from '../../../sandbox/support/hold-point.js';
import { callCloud, cloudSettings } from '../../../sandbox/cloud/cloud-call.js';
import { cloudOperations } from '../../../sandbox/cloud/cloud-ledger.js';
import { holdAt } from '../../helpers/hold-point.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('hold points', () => {
  it('reads the point and how many calls must have completed first, and nothing without a folder to report in', () => {
    expect(holdPointOf({ JHUB_SANDBOX_HOLD: 'cloud-delete@2', JHUB_SANDBOX_HOLD_DIR: '/d' })).toEqual({
      point: 'cloud-delete',
      after: 2,
      dir: '/d',
    });
    expect(holdPointOf({ JHUB_SANDBOX_HOLD: 'cloud-create', JHUB_SANDBOX_HOLD_DIR: '/d' })).toEqual({
      point: 'cloud-create',
      after: 0,
      dir: '/d',
    });
    expect(holdPointOf({ JHUB_SANDBOX_HOLD: 'cloud-create' })).toBeUndefined();
  });

  it('passes other points, and the point itself before enough calls have completed', async () => {
    const held = holdAt('cloud-delete', 1);
    const hold = holdPointOf(held.env);
    await holdIfAsked(hold, 'cloud-create', () => 5);
    await holdIfAsked(hold, 'cloud-delete', () => 0);
    expect(held.reached()).toBe(false);
  });

  it('holds a cloud call, unanswered and unrecorded, until the test releases it, then answers it', async () => {
    const stateDir = await tempDir();
    const held = holdAt('cloud-create');
    const settings = cloudSettings({ JHUB_SANDBOX_STATE_DIR: stateDir, ...held.env });
    let answered = false;
    const call = callCloud(settings, { op: 'create', kind: 'network', id: 'n1' }).then(() => (answered = true));
    await held.arrival();
    expect(JSON.parse(readFileSync(`${held.env.JHUB_SANDBOX_HOLD_DIR}/reached`, 'utf8'))).toMatchObject({
      point: 'cloud-create',
      pid: process.pid,
    });
    // The caller is waiting: more turns of the event loop do not let it through.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setTimeout(resolve, 15));
    expect(answered).toBe(false);
    expect(cloudOperations(stateDir)).toEqual([]);
    held.release();
    await call;
    expect(cloudOperations(stateDir).map((operation) => operation.id)).toEqual(['n1']);
    // A point already released lets later callers through without reporting them.
    await callCloud(settings, { op: 'create', kind: 'subnet', id: 's1' });
    expect(existsSync(`${held.env.JHUB_SANDBOX_HOLD_DIR}/release`)).toBe(true);
    expect(readFileSync(`${held.env.JHUB_SANDBOX_HOLD_DIR}/reached`, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
