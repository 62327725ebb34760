import { describe, expect, it } from 'vitest';
import { destructionGuard } from '../../runner/app/destruction-guard.js';
import { PendingRestores } from '../../runner/app/pending-restores.js';
import { buildResult } from '../../runner/engine/step-result.js';
import { tempDir } from '../helpers/temp-dir.js';

const step = { index: 0, name: 'destroy', plugin: 'terraform.destroy' };
const backupResult = (namespace: string) =>
  buildResult(
    'changed',
    'backed up',
    [],
    { verified: true, dir: '/b', namespace },
    { protects: { dir: '/b', namespace } },
  );

describe('destructionGuard', () => {
  it('refuses without a verified backup covering the namespace, whatever --yes says', async () => {
    const guard = destructionGuard({ yes: true, named: [] });
    expect(await guard.approve({ what: 'helm release jhub in jhub', namespace: 'jhub' }, step)).toMatch(
      /^refused to destroy helm release jhub in jhub: no verified backup of namespace jhub from this run/,
    );
    guard.observe(backupResult('other'));
    expect(await guard.approve({ what: 'x', namespace: 'jhub' }, step)).toMatch(/no verified backup of namespace jhub/);
    guard.observe(backupResult('jhub'));
    expect(await guard.approve({ what: 'x', namespace: 'jhub' }, step)).toBeUndefined();
  });

  it('needs --yes or a typed yes once a backup covers the destruction; cluster-wide needs any backup', async () => {
    const named = [{ dir: '/b', namespace: 'jhub' }];
    expect(
      await destructionGuard({ yes: false, named: [] }).approve({ what: '6 terraform resource(s)' }, step),
    ).toMatch(/no verified backup of the cluster's JupyterHub volumes/);
    expect(await destructionGuard({ yes: false, named }).approve({ what: '6 terraform resource(s)' }, step)).toMatch(
      /without confirmation: .* rerun with --yes$/,
    );
    const questions: string[] = [];
    const asking = (answer: string) =>
      destructionGuard({ yes: false, named, ask: async (question) => (questions.push(question), answer) });
    expect(await asking('yes').approve({ what: '6 terraform resource(s)' }, step)).toBeUndefined();
    expect(questions[0]).toBe('This destroys 6 terraform resource(s).\nBackup: /b\nType "yes" to go on: ');
    expect(await asking('no').approve({ what: '6 terraform resource(s)' }, step)).toBe(
      'refused to destroy 6 terraform resource(s): not confirmed',
    );
    expect(await asking('y').approve({ what: '6 terraform resource(s)' }, step)).toBe(
      'refused to destroy 6 terraform resource(s): not confirmed: the answer must be the whole word "yes"',
    );
  });

  it('takes no backup from a step result that is not a verified backup', async () => {
    const guard = destructionGuard({ yes: true, named: [] });
    guard.observe(buildResult('changed', 'x', [], { dir: '/b', namespace: 'jhub', verified: true }));
    expect(await guard.approve({ what: 'x', namespace: 'jhub' }, step)).toMatch(/^refused/);
  });

  it("keeps a restore pending in the site's state from the backup until it is verified, and refuses to install a hub meanwhile", async () => {
    const store = new PendingRestores(await tempDir());
    const guard = destructionGuard({
      yes: true,
      named: [],
      restores: { store, runId: 'r1', playbook: 'playbooks/rebuild-cluster.yml', siteArgs: '-i inventory/site ' },
    });
    expect(guard.approveDeploy('jhub')).toBeUndefined();
    guard.observe(
      buildResult(
        'changed',
        'backed up',
        [],
        {},
        { restore: { namespace: 'jhub', state: 'pending', backupDir: '/b' } },
      ),
    );
    expect(store.get('jhub')).toMatchObject({ namespace: 'jhub', runId: 'r1', backupDir: '/b' });
    const refusal = guard.approveDeploy('jhub');
    expect(refusal).toMatch(
      /^refused to install JupyterHub into jhub: a restore of its claims is pending since .* \(run r1 of playbooks\/rebuild-cluster.yml, backup \/b\)/,
    );
    expect(refusal).toContain('run playbooks/rebuild-cluster.yml -i inventory/site --resume');
    expect(refusal).toContain('run release-restore jhub -i inventory/site --yes');
    expect(guard.approveDeploy('other')).toBeUndefined();
    // A second run of the same namespace does not move the mark; verification closes it.
    guard.observe(
      buildResult('ok', 'kept', [], {}, { restore: { namespace: 'jhub', state: 'pending', backupDir: '/b' } }),
    );
    guard.observe(buildResult('ok', 'verified', [], {}, { restore: { namespace: 'jhub', state: 'verified' } }));
    expect(store.get('jhub')).toBeUndefined();
    expect(guard.approveDeploy('jhub')).toBeUndefined();
  });

  it('releases the restores it opened when nothing was let be destroyed, and only then', async () => {
    const backup = { dir: '/b', namespace: 'jhub', verified: true };
    const pending = buildResult(
      'changed',
      'backed up',
      [],
      {},
      {
        protects: backup,
        restore: { namespace: 'jhub', state: 'pending', backupDir: '/b' },
      },
    );
    const guardOn = async (store: PendingRestores, runId = 'r1') =>
      destructionGuard({ yes: true, named: [], restores: { store, runId, playbook: 'p.yml', siteArgs: '' } });
    const refusedStore = new PendingRestores(await tempDir());
    const refused = await guardOn(refusedStore);
    refused.observe(pending);
    expect(refusedStore.get('jhub')).toBeDefined();
    expect(refused.releaseUnused()).toEqual(['jhub']);
    expect(refusedStore.get('jhub')).toBeUndefined();

    const destroyedStore = new PendingRestores(await tempDir());
    const destroyed = await guardOn(destroyedStore);
    destroyed.observe(pending);
    expect(await destroyed.approve({ what: 'every resource', namespace: 'jhub' }, step)).toBeUndefined();
    expect(destroyed.releaseUnused()).toEqual([]);
    expect(destroyedStore.get('jhub')).toBeDefined();

    // A resumed run finds its restore open already: it did not open it, and does not release it.
    const resumed = await guardOn(destroyedStore);
    resumed.observe(pending);
    expect(resumed.releaseUnused()).toEqual([]);
    expect(destroyedStore.get('jhub')).toBeDefined();
  });
});
