import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

const playbook = `name: flags
vars:
  allow_scale_down: false
  retries_wanted: 2
steps:
  - name: wait
    kubectl.wait: {kind: deployment, name: hub, namespace: jhub, for: rollout, timeout: "{{ retries_wanted }}"}
  - name: destroy
    terraform.apply: {dir: /nonexistent, allow_destroy: "{{ allow_scale_down }}"}
`;

describe('rendered scalars from -e', () => {
  it('reads -e flag=true as the boolean and -e n=30 as the number the argument wants', async () => {
    const dir = await tempDir({ 'p.yml': playbook });
    const run = await runApp([
      `${dir}/p.yml`,
      '-e',
      'allow_scale_down=TRUE',
      '-e',
      'retries_wanted=30',
      '--list-steps',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const dry = await runApp([
      `${dir}/p.yml`,
      '-e',
      'allow_scale_down=true',
      '-e',
      'retries_wanted=30',
      '--dry-run',
      '--json',
    ]);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
  });

  it('refuses what is neither, naming the variable the user set and where', async () => {
    const dir = await tempDir({ 'p.yml': playbook.replace('  allow_scale_down: false\n', '') });
    const run = await runApp([`${dir}/p.yml`, '-e', 'allow_scale_down=maybe', '--dry-run']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${dir}/p.yml:8:`);
    expect(run.stderr).toContain(
      'allow_destroy: expected true or false, found the string "maybe" (allow_scale_down is set in extra vars (-e))',
    );
    expect(run.runner.calls).toEqual([]);
  });

  it('refuses at once an -e value of another kind than the value it replaces, naming both', async () => {
    const dir = await tempDir({ 'p.yml': playbook });
    const run = await runApp([`${dir}/p.yml`, '-e', 'allow_scale_down=maybe', '--dry-run']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `-e allow_scale_down="maybe": expected true or false, as the false it replaces (set in playbook ${dir}/p.yml)`,
    );
    expect(run.runner.calls).toEqual([]);
  });
});
