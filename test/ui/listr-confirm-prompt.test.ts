import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObject } from '../helpers/site-objects.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

// A destructive step that is quick on the simulated site: back up, then delete one user's claim.
const playbook = `name: Delete one claim
steps:
  - name: Back up
    kubectl.backup_volumes: {namespace: jhub, dir: "{{ backup_root }}/prompt-{{ run_id }}"}
  - name: Delete the claim of user01
    kubectl.delete: {kind: pvc, name: claim-user01, namespace: jhub}
`;

/** Runs the CLI in a pseudo-terminal (util-linux script), as a person at a terminal would, typing `answer` at the prompt. */
async function runAtTerminal(site: string, answer: string): Promise<{ exitCode: number; screen: string }> {
  // script runs its command through the shell: the terminal gets a size first, as a real one has.
  const command = `stty cols 150 rows 50 && exec ${[process.execPath, bin, `${site}/p.yml`, '-i', site].map((part) => `'${part}'`).join(' ')}`;
  const { CI: _ci, ...env } = process.env;
  const child = execa('script', ['-qfec', command, '/dev/null'], { reject: false, env: { ...env, TERM: 'xterm-256color', NO_COLOR: '1' }, extendEnv: false });
  let screen = '';
  await new Promise<void>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      screen += String(chunk);
      if (screen.includes('Type "yes" to go on:')) resolve();
    });
    void child.then(() => resolve());
  });
  child.stdin!.write(answer);
  const result = await child;
  return { exitCode: result.exitCode ?? -1, screen: screen + String(result.stdout) };
}

describe('the confirmation prompt in the live task list', () => {
  it('is seen while the list is drawn, takes the typed answer, and refuses anything but yes', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    await writeFile(`${site}/p.yml`, playbook);

    const declined = await runAtTerminal(site, 'no\r');
    expect(declined.screen).toContain('This destroys');
    expect(declined.screen).toContain('claim-user01');
    expect(declined.screen).toContain('Delete the claim of user01');
    expect(declined.exitCode).toBe(4);
    expect(declined.screen).toContain('not confirmed');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user01', 'jhub')).toBeDefined();

    const confirmed = await runAtTerminal(site, 'yes\r');
    expect(confirmed.exitCode, confirmed.screen).toBe(0);
    expect(confirmed.screen).toContain('answered: yes');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user01', 'jhub')).toBeUndefined();
  }, 120_000);
});
