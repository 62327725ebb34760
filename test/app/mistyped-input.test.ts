import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';

// Each as a new operator typed it (from the project folder), on the simulated site: exit 3, the fix named, nothing run.
describe('mistyped input is answered with what was meant', () => {
  it.each([
    { typed: ['playbooks/deploy-jhb.yml', '--dry-run'], says: "did you mean 'playbooks/deploy-jhub.yml'?" },
    {
      typed: ['playbooks/deploy-jhub.yml', '-i', 'inventory/examples', '--dry-run'],
      says: "did you mean 'inventory/example'?",
    },
    {
      typed: ['playbooks/deploy-jhub.yml', '--start-at', 'Wait for hub', '--dry-run'],
      says: 'did you mean "Wait until the hub is ready"?',
    },
    {
      typed: ['playbooks/rebuild-cluster.yml', '--tags', 'deplyo'],
      says: '--tags: no step has the tag "deplyo" (did you mean \'deploy\'?)',
    },
    {
      typed: ['playbooks/rebuild-cluster.yml', '--skip-tags', 'backups', '--dry-run'],
      says: '--skip-tags: no step has the tag "backups" (did you mean \'backup\'?)',
    },
    {
      typed: ['playbooks/scale-cluster.yml', '-e', 'terraform_vars.worker_count=abc', '--dry-run'],
      says: '-e terraform_vars.worker_count="abc": expected a number, as the 2 it replaces',
    },
    {
      typed: ['playbooks/scale-cluster.yml', '-e', 'keep_floating_ip=yes please', '--dry-run'],
      says: '-e keep_floating_ip="yes please": expected true or false, as the true it replaces',
    },
    {
      typed: [
        'playbooks/deploy-jhub.yml',
        '-e',
        `${Array.from({ length: 20_000 }, () => 'a').join('.')}=1`,
        '--dry-run',
      ],
      says: 'a key 20000 levels deep; a variable may nest 64 levels',
    },
  ])('$typed.0 $typed.1 $typed.2', async ({ typed, says }) => {
    const run = await runApp(typed, undefined, { defaultInventory: true });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(says);
    expect(run.stdout).toBe('');
    expect(run.runner.calls).toEqual([]);
  });

  it('still takes an -e number or boolean given as text, and a template', async () => {
    for (const extra of [
      'terraform_vars.worker_count=3',
      'keep_floating_ip=false',
      'terraform_vars.worker_count={{ 1 + 2 }}',
    ]) {
      const run = await runApp(['playbooks/scale-cluster.yml', '--dry-run', '-e', extra], undefined, {
        defaultInventory: true,
      });
      expect(run.code, `${extra}: ${run.stderr}`).toBe(0);
    }
  });

  it('a tag "always" is not a typo', async () => {
    const run = await runApp(['playbooks/deploy-jhub.yml', '--dry-run', '--tags', 'always'], undefined, {
      defaultInventory: true,
    });
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('an -e name that nothing reads', () => {
  it('is run, with a warning naming the closest variable', async () => {
    const run = await runApp(['playbooks/deploy-jhub.yml', '--dry-run', '-e', 'namepsace=x'], undefined, {
      defaultInventory: true,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "warning: -e namepsace: no step or variable of this playbook or its inventory reads it, so it changes nothing (did you mean 'namespace'?)",
    );
  });

  it('is never said of a name a step, a template, a plugin or the runner reads', async () => {
    const reads: [string, string][] = [
      ['deploy-jhub.yml', 'namespace=x'],
      ['deploy-jhub.yml', 'helm_binary=helm'],
      ['deploy-jhub.yml', 'kube_context=other'],
      ['rebuild-cluster.yml', 'backup_dir=/tmp/b'],
      ['rebuild-cluster.yml', 'run_id=r1'],
      ['scale-cluster.yml', 'terraform_vars.worker_count=3'],
      ['prepare-pv-restore.yml', 'released_volumes=skip'],
      ['enable-https.yml', 'https.mode=custom'],
    ];
    for (const [playbook, extra] of reads) {
      const run = await runApp([`playbooks/${playbook}`, '--list-steps', '-e', extra], undefined, {
        defaultInventory: true,
      });
      expect(run.stderr, `${playbook} -e ${extra}`).not.toContain('warning:');
    }
  });

  it('a nested key one letter off a key its map has is run, with a warning naming that key; a new key far from any is not', async () => {
    const typo = await runApp(
      ['playbooks/scale-cluster.yml', '--list-steps', '-e', 'terraform_vars.worker_cont=3'],
      undefined,
      { defaultInventory: true },
    );
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stderr).toContain(
      "warning: -e terraform_vars.worker_cont: terraform_vars has no key worker_cont, so this adds one and leaves terraform_vars.worker_count as it was (did you mean 'terraform_vars.worker_count'?)",
    );
    const added = await runApp(
      ['playbooks/scale-cluster.yml', '--list-steps', '-e', 'terraform_vars.flavor=m3.large'],
      undefined,
      { defaultInventory: true },
    );
    expect(added.stderr).not.toContain('warning:');
  });
});
