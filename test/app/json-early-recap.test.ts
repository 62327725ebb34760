import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lockSite } from '../../runner/app/site-lock.js';
import { jsonEvents, runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

const playbook = 'name: p\nsteps:\n  - name: say\n    command: {argv: [echo, hi]}\n';

describe('--json on a run that stops before its steps', () => {
  it('ends stdout with a recap object holding the exit code and what was said, for invalid input and a held lock', async () => {
    const dir = await tempDir({
      'p.yml': playbook,
      'site.yml': 'site_name: s\nstate_dir: "{{ inventory_dir }}/.state"\n',
    });
    writeFileSync(`${dir}/bad.yml`, 'name: p\nsteps:\n  - name: say\n    command: {argvv: [echo]}\n');
    const invalid = await runApp([`${dir}/bad.yml`, '-i', `${dir}/site.yml`, '--json']);
    expect(invalid.code).toBe(3);
    const [recap] = jsonEvents(invalid.stdout);
    expect(recap).toMatchObject({ type: 'recap', exitCode: 3, refused: false, interrupted: false, steps: [] });
    expect(recap!['message']).toContain("unknown key 'argvv'");
    expect(invalid.runner.calls).toEqual([]);

    const unlock = await lockSite(`${dir}/.state`, 'another.yml');
    try {
      const locked = await runApp([`${dir}/p.yml`, '-i', `${dir}/site.yml`, '--json']);
      expect(locked.code).toBe(4);
      expect(jsonEvents(locked.stdout)).toEqual([
        expect.objectContaining({
          type: 'recap',
          exitCode: 4,
          refused: true,
          message: expect.stringMatching(/^refused: another run holds this site/),
        }),
      ]);
    } finally {
      unlock();
    }
    // A run that goes through ends with its own recap, once.
    const events = jsonEvents((await runApp([`${dir}/p.yml`, '-i', `${dir}/site.yml`, '--json'])).stdout);
    expect(events.filter((event) => event['type'] === 'recap')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'recap', ok: 0, changed: 1 });
    expect(events.at(-1)).not.toHaveProperty('exitCode');
  });
});
