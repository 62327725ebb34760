import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { buildProgram, type Invocation } from '../../runner/cli/program.js';

function parse(argv: string[]): Invocation | undefined {
  let invocation: Invocation | undefined;
  const program = buildProgram((chosen) => (invocation = chosen));
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  program.parse(argv, { from: 'user' });
  return invocation;
}

describe('buildProgram', () => {
  it('maps flags to run options', () => {
    expect(
      parse([
        'p.yml',
        '-i',
        'a',
        '-i',
        'b',
        '-e',
        'x=1',
        '--check',
        '--tags',
        'a,b',
        '--tags',
        'c',
        '--skip-tags',
        'd',
        '--start-at',
        'Step',
        '--json',
        '--no-color',
        '--yes',
        '--backup',
        'b1',
        '--resume',
        '--diff',
        'full',
      ]),
    ).toEqual({
      command: 'run',
      options: {
        playbook: 'p.yml',
        inventories: ['a', 'b'],
        extraVars: ['x=1'],
        mode: 'check',
        tags: ['a', 'b', 'c'],
        skipTags: ['d'],
        startAt: 'Step',
        listSteps: false,
        json: true,
        color: false,
        yes: true,
        backups: ['b1'],
        resume: true,
        diff: 'full',
      },
    });
    expect(parse(['p.yml', '--dry-run'])).toMatchObject({ options: { mode: 'dry-run' } });
    expect(parse(['p.yml', '--verbose'])).toMatchObject({ options: { verbose: true } });
    expect(parse(['p.yml', '--resume', '--override', '-e', 'a=1'])).toMatchObject({
      options: { resume: true, override: true, extraVars: ['a=1'] },
    });
    expect(parse(['p.yml'])).toMatchObject({
      options: { mode: 'apply', inventories: [], color: true, yes: false, backups: [], resume: false, diff: 'summary' },
    });
  });

  it('parses the doctor command', () => {
    expect(parse(['doctor', '-i', 'site'])).toEqual({ command: 'doctor', inventories: ['site'] });
    expect(parse(['doctor'])).toEqual({ command: 'doctor', inventories: [] });
  });

  it('parses the schema command', () => {
    expect(parse(['schema', '-o', 'out.json'])).toEqual({ command: 'schema', output: 'out.json' });
  });
});

describe('usage errors exit 3', () => {
  it('for --check with --dry-run, an unknown option and a missing playbook', async () => {
    const both = await runApp(['p.yml', '--check', '--dry-run']);
    expect(both.code).toBe(3);
    expect(both.stderr).toContain("option '--check' cannot be used with option '--dry-run'");
    const typo = await runApp(['p.yml', '--chekc']);
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('(Did you mean --check?)');
    expect((await runApp([])).code).toBe(3);
  });
});

describe('what a new operator sees', () => {
  it('bare run prints the whole usage, with the playbooks, and exits 3', async () => {
    const bare = await runApp([]);
    expect(bare.code).toBe(3);
    expect(bare.stderr).toContain('Usage: run [options] [command] <playbook>');
    expect(bare.stderr).toMatch(/playbooks\/deploy-jhub\.yml\s+Deploy JupyterHub/);
  });

  it('--help says what no -i means and lists every playbook with its name', async () => {
    const help = await runApp(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('(default: the simulated site, inventory/sandbox)');
    expect(help.stdout).not.toContain('(default: [])');
    expect(help.stdout).toContain('Without -i, every run is against the simulated site');
    for (const [file, name] of [
      ['rebuild-cluster.yml', 'Rebuild the cluster and give every user their volume back'],
      ['scale-cluster.yml', 'Change the number of worker nodes'],
    ] as const) {
      expect(help.stdout).toMatch(new RegExp(`playbooks/${file.replace('.', '\\.')}\\s+${name}`));
    }
  });
});
