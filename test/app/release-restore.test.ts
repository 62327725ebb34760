import { describe, expect, it } from 'vitest';
import { PendingRestores } from '../../runner/app/pending-restores.js';
import { lockSite } from '../../runner/app/site-lock.js';
import { main } from '../../runner/cli/main.js';
import type { ExecRequest } from '../../runner/exec/exec-result.js';
import { kubeListText } from '../../runner/plugins/kube/kube-list.js';
import { captureStream } from '../helpers/capture-stream.js';
import { recordingRunner } from '../helpers/recording-runner.js';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

const claim = (name: string, volume: string, phase = 'Bound') => ({
  metadata: { name, namespace: 'jhub' },
  spec: { volumeName: volume },
  status: { phase },
});
const volume = (name: string, disk: string, claimName: string) => ({
  metadata: { name },
  spec: { csi: { volumeHandle: disk }, claimRef: { namespace: 'jhub', name: claimName } },
});
/** What the rebuild prepared to bring back: two users, each on their own cloud volume. */
const prepared = {
  'pvc-restore.json': kubeListText([claim('claim-ann', 'pv-ann'), claim('claim-bob', 'pv-bob')]),
  'pv-restore.json': kubeListText([
    volume('pv-ann', 'disk-ann', 'claim-ann'),
    volume('pv-bob', 'disk-bob', 'claim-bob'),
  ]),
};

/** A cluster that answers kubectl's lists with these claims and volumes, or does not answer at all. */
function cluster(claims: object[] | 'down', volumes: object[] = []) {
  return recordingRunner((request: ExecRequest) => {
    if (claims === 'down')
      return {
        exitCode: 1,
        stdout: '',
        stderr: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
      };
    const listed = request.argv.includes('persistentvolumeclaims') ? claims : volumes;
    return { exitCode: 0, stdout: kubeListText(listed), stderr: '' };
  });
}

/** Runs release-restore as a person at a terminal would, answering its question with `answer`. */
async function answered(site: string, runner: ReturnType<typeof cluster>, answer: string) {
  const [stdout, stderr] = [captureStream(), captureStream()];
  const questions: string[] = [];
  const code = await main(['release-restore', 'jhub', '-i', `${site}/site.yml`], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { NO_COLOR: '1' },
    runner,
    ask: async (question) => {
      questions.push(question);
      return answer;
    },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), questions };
}

/** A rebuild's restore of jhub, left pending. */
const pendingRebuild = {
  namespace: 'jhub',
  runId: 'r1',
  playbook: 'playbooks/rebuild-cluster.yml',
  backupDir: '/b',
  since: '2026-12-01T00:00:00.000Z',
};

describe('run release-restore', () => {
  it('releases a pending restore only with --yes (or a typed yes), and says when none is pending', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: test\n' });
    const restores = new PendingRestores(`${site}/.state`);
    const none = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`]);
    expect(none).toMatchObject({ code: 0, stdout: `no restore of jhub is pending on this site (${site}/.state)\n` });
    restores.open(pendingRebuild);
    const unconfirmed = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`]);
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stderr).toContain(
      'refused to release the pending restore of jhub (run r1 of playbooks/rebuild-cluster.yml, since 2026-12-01T00:00:00.000Z, backup /b) without confirmation',
    );
    expect(restores.get('jhub')).toBeDefined();
    const released = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`, '--yes'], cluster([]));
    expect(released.code).toBe(0);
    expect(released.stdout).toBe(
      'what is restored in jhub cannot be seen: /b/pvc.json does not exist\n' +
        'released the pending restore of jhub (run r1 of playbooks/rebuild-cluster.yml, since 2026-12-01T00:00:00.000Z, backup /b)\n',
    );
    expect(restores.get('jhub')).toBeUndefined();
    expect((await runApp(['release-restore', 'Not_A_Namespace', '-i', `${site}/site.yml`])).code).toBe(3);
  });

  it('refuses while another run holds the site, naming it, and releases nothing', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: test\n' });
    const restores = new PendingRestores(`${site}/.state`);
    restores.open(pendingRebuild);
    const holder = await lockSite(`${site}/.state`, 'playbooks/rebuild-cluster.yml');
    try {
      const refused = await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`, '--yes']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(
        /^refused: another run holds this site: pid \d+ on .*, playbooks\/rebuild-cluster\.yml/,
      );
      expect(restores.get('jhub')).toBeDefined();
    } finally {
      holder();
    }
    expect((await runApp(['release-restore', 'jhub', '-i', `${site}/site.yml`, '--yes'], cluster([]))).code).toBe(0);
  });

  it("shows which users' claims are not back, and then takes the namespace typed out, not yes", async () => {
    const site = await tempDir({
      'site.yml': 'site_name: test\nkubeconfig: "{{ inventory_dir }}/kubeconfig"\n',
      ...prepared,
    });
    const restores = new PendingRestores(`${site}/.state`);
    restores.open({ ...pendingRebuild, backupDir: site });
    // Ann is back; Bob's claim was made early and holds a new, empty volume.
    const runner = cluster(
      [claim('claim-ann', 'pv-ann'), claim('claim-bob', 'pv-new')],
      [volume('pv-ann', 'disk-ann', 'claim-ann'), volume('pv-new', 'disk-new', 'claim-bob')],
    );
    const yes = await answered(site, runner, 'yes');
    expect(yes.stdout).toBe(
      `not restored in jhub: 1 of the 2 claim(s) of ${site}/pvc-restore.json: claim-bob (on cloud volume disk-new, not disk-bob)\n`,
    );
    expect(yes.questions).toEqual([expect.stringMatching(/Type the namespace \(jhub\) to go on: $/)]);
    expect(yes).toMatchObject({ code: 4, stderr: expect.stringContaining('not confirmed') });
    expect(restores.get('jhub')).toBeDefined();
    // The site's own connection, rendered from its inventory.
    expect(runner.calls[0]!.argv).toEqual([
      'kubectl',
      '--kubeconfig',
      `${site}/kubeconfig`,
      'get',
      'persistentvolumeclaims',
      '--namespace',
      'jhub',
      '--output',
      'json',
    ]);
    const typed = await answered(site, runner, 'jhub');
    expect(typed.code).toBe(0);
    expect(restores.get('jhub')).toBeUndefined();
  });

  it('takes yes when every claim is back, and the namespace when the cluster cannot be seen', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: test\n', ...prepared });
    const restores = new PendingRestores(`${site}/.state`);
    restores.open({ ...pendingRebuild, backupDir: site });
    const down = await answered(site, cluster('down'), 'yes');
    expect(down.stdout).toMatch(/^what is restored in jhub cannot be seen: the cluster does not answer: /);
    expect(down.code).toBe(4);
    const missing = await answered(
      site,
      cluster(
        [claim('claim-ann', 'pv-ann'), claim('claim-bob', 'pv-bob', 'Pending')],
        [volume('pv-ann', 'disk-ann', 'claim-ann')],
      ),
      'yes',
    );
    expect(missing.stdout).toContain('1 of the 2 claim(s)');
    expect(missing.stdout).toContain('claim-bob (Pending)');
    expect(missing.code).toBe(4);
    const back = cluster(
      [claim('claim-ann', 'pv-ann'), claim('claim-bob', 'pv-bob')],
      [volume('pv-ann', 'disk-ann', 'claim-ann'), volume('pv-bob', 'disk-bob', 'claim-bob')],
    );
    const all = await answered(site, back, 'YES');
    expect(all.stdout).toContain(
      `all 2 claim(s) of ${site}/pvc-restore.json are back in jhub, each on its own cloud volume`,
    );
    expect(all.questions).toEqual([expect.stringMatching(/Type "yes" to go on: $/)]);
    expect(all.code).toBe(0);
    expect(restores.get('jhub')).toBeUndefined();
  });

  it('is interrupted by Ctrl-C at its question: exit 130, the restore still pending', async () => {
    const site = await tempDir({ 'site.yml': 'site_name: test\n', ...prepared });
    const restores = new PendingRestores(`${site}/.state`);
    restores.open({ ...pendingRebuild, backupDir: site });
    const interrupt = new AbortController();
    const [stdout, stderr] = [captureStream(), captureStream()];
    const code = await main(['release-restore', 'jhub', '-i', `${site}/site.yml`], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: { NO_COLOR: '1' },
      runner: cluster('down'),
      signal: interrupt.signal,
      // The terminal's Ctrl-C aborts the run's signal, and the question with it.
      ask: async () => {
        interrupt.abort();
        throw new DOMException('The operation was aborted', 'AbortError');
      },
    });
    expect(code).toBe(130);
    expect(stderr.text()).toContain('not confirmed (interrupted): the pending restore of jhub');
    expect(restores.get('jhub')).toBeDefined();
  });
});
