import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resumedExtraVars, startedWith } from '../../runner/app/resumed-start.js';
import { InputError } from '../../runner/input/input-error.js';
import { SecretMasker } from '../../runner/vars/secret-masker.js';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Two steps: the first says which worker count it was given, the second stops until a file named for it exists. */
const playbook = `name: Scale
vars:
  worker_count: 2
steps:
  - name: Say the worker count
    command: {argv: [echo, "workers={{ worker_count }}"]}
  - name: Wait for the file of that count
    command: {argv: [test, -f, "{{ playbook_dir }}/ready-{{ worker_count }}"]}
`;

describe('--resume repeats how the run was started', () => {
  it('reuses the -e of the interrupted run, refuses other -e without --override, and records an override for the next resume', async () => {
    const dir = await tempDir({
      'scale.yml': playbook,
      'site.yml': 'site_name: s\nstate_dir: "{{ inventory_dir }}/.state"\n',
    });
    const run = (...argv: string[]) => runApp([`${dir}/scale.yml`, '-i', `${dir}/site.yml`, ...argv]);
    const first = await run('-e', 'worker_count=3');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`continue with: run ${dir}/scale.yml -i ${dir}/site.yml --resume`);
    writeFileSync(`${dir}/ready-3`, '');

    const other = await run('--resume', '-e', 'worker_count=4');
    expect(other.code).toBe(3);
    expect(other.stderr).toContain(
      'was started with -e worker_count=3, and is resumed with them; this resume gives -e worker_count=4. Leave out -e to resume it as it was started, or add --override to put these on top',
    );
    expect(other.runner.calls).toEqual([]);

    // Exactly the printed command: the run goes on with three workers, not the playbook's two.
    const resumed = await run('--resume');
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.runner.calls.map((call) => call.argv)).toEqual([['test', '-f', `${dir}/ready-3`]]);
  });

  it('puts the new -e on top with --override, and a later resume repeats that', async () => {
    const dir = await tempDir({
      'scale.yml': playbook,
      'site.yml': 'site_name: s\nstate_dir: "{{ inventory_dir }}/.state"\n',
    });
    const run = (...argv: string[]) => runApp([`${dir}/scale.yml`, '-i', `${dir}/site.yml`, ...argv]);
    expect((await run('-e', 'worker_count=3')).code).toBe(1);
    const overridden = await run('--resume', '--override', '-e', 'worker_count=5');
    expect(overridden.code).toBe(1);
    expect(overridden.runner.calls.map((call) => call.argv)).toEqual([['test', '-f', `${dir}/ready-5`]]);
    writeFileSync(`${dir}/ready-5`, '');
    const again = await run('--resume');
    expect(again.code).toBe(0);
    expect(again.runner.calls.map((call) => call.argv)).toEqual([['test', '-f', `${dir}/ready-5`]]);
    const journal = readFileSync(`${dir}/.state/runs/${readdirSync(`${dir}/.state/runs`)[0]}`, 'utf8');
    expect(journal).toContain('"extraVars":["worker_count=3","worker_count=5"]');
  });
});

describe('the -e a resumed run uses', () => {
  const masker = new SecretMasker();
  masker.add('s3cret-token-value');
  const recorded = startedWith(['site'], ['a=1', '@vars.yml', 'token=s3cret-token-value'], masker);

  it('keeps a file by its absolute path and an inline secret only as where it was', () => {
    expect(recorded).toEqual({
      inventories: [`${process.cwd()}/site`],
      extraVars: ['a=1', `@${process.cwd()}/vars.yml`, { secret: '-e token' }],
    });
    expect(JSON.stringify(recorded)).not.toContain('s3cret');
  });

  it('asks for a secret again rather than resuming without it', () => {
    const given = (extraVars: string[]) => ({ inventories: ['site'], extraVars });
    expect(() => resumedExtraVars('r1', recorded, given([]), false, masker)).toThrow(InputError);
    expect(() => resumedExtraVars('r1', recorded, given([]), true, masker)).toThrow(/-e token, which holds a secret/);
    expect(resumedExtraVars('r1', recorded, given(['token=s3cret-token-value']), true, masker)).toEqual([
      'a=1',
      `@${process.cwd()}/vars.yml`,
      'token=s3cret-token-value',
    ]);
  });

  it('refuses other inventories without --override, and trusts a journal from before runs were recorded', () => {
    const plain = startedWith(['site'], ['a=1'], masker);
    expect(() => resumedExtraVars('r1', plain, { inventories: ['other'], extraVars: [] }, false, masker)).toThrow(
      /was started with -i \S+\/site, not -i \S+\/other/,
    );
    expect(resumedExtraVars('r1', plain, { inventories: ['site'], extraVars: [] }, false, masker)).toEqual(['a=1']);
    expect(resumedExtraVars('r1', plain, { inventories: ['site'], extraVars: ['a=1'] }, false, masker)).toEqual([
      'a=1',
    ]);
    expect(resumedExtraVars('r1', undefined, { inventories: ['x'], extraVars: ['b=2'] }, false, masker)).toEqual([
      'b=2',
    ]);
  });
});
