import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliAtTerminal } from '../helpers/cli-at-terminal.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObject } from '../helpers/site-objects.js';
import { runApp } from '../helpers/run-app.js';

// A destructive step that is quick on the simulated site: back up, then delete one user's claim.
const playbook = `name: Delete one claim
steps:
  - name: Back up
    kubectl.backup_volumes: {namespace: jhub, dir: "{{ backup_root }}/prompt-{{ run_id }}"}
  - name: Delete the claim of user01
    kubectl.delete: {kind: pvc, name: claim-user01, namespace: jhub}
`;

// The same, where what is deleted is known only once an earlier step has run: asked at the step, in the live task list.
const lateKnown = `name: Delete one claim found at run time
steps:
  - name: Back up
    kubectl.backup_volumes: {namespace: jhub, dir: "{{ backup_root }}/prompt-{{ run_id }}"}
  - name: Find the claim of user02
    kubectl.get: {kind: pvc, name: claim-user02, namespace: jhub}
    register: found
  - name: Delete the claim found
    kubectl.delete: {kind: pvc, name: "{{ found.object.metadata.name }}", namespace: jhub}
`;

/** Runs the CLI at a terminal, typing `answer` at the prompt. */
async function runAtTerminal(
  site: string,
  answer: string,
  file: string,
): Promise<{ exitCode: number; screen: string }> {
  const child = cliAtTerminal([file, '-i', site]);
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

describe('the confirmation prompt at a real terminal', () => {
  it('asks before anything runs, naming each step that may destroy; refuses anything but yes with nothing done', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    // Beside the site, not in it: every .yml file of an inventory folder is read as the site's.
    const file = `${site}/../p.yml`;
    await writeFile(file, playbook);
    // The site is seeded by a first run; a refused run must find it as it was.
    expect((await runApp([file, '-i', site, '--check'])).code).toBe(2);

    const declined = await runAtTerminal(site, 'no\r', file);
    expect(declined.screen).toContain('This run may destroy, on site sandbox (simulated, on this machine):');
    expect(declined.screen).toContain('[2/2] Delete the claim of user01: pvc/claim-user01 in jhub');
    expect(declined.exitCode).toBe(4);
    expect(declined.screen).toContain('refused: not confirmed');
    expect(declined.screen).not.toContain('[1/2] Back up');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user01', 'jhub')).toBeDefined();

    // Ctrl-C at the prompt is an interrupt like any other: exit 130, nothing run, no internal error.
    const interrupted = await runAtTerminal(site, '\x03', file);
    expect(interrupted.exitCode, interrupted.screen).toBe(130);
    expect(interrupted.screen).toContain('not confirmed (interrupted at the confirmation): nothing was run');
    expect(interrupted.screen).not.toContain('internal error');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user01', 'jhub')).toBeDefined();

    // Ctrl-D (the end of input) is the same: not an internal error, nothing run.
    const ended = await runAtTerminal(site, '\x04', file);
    expect(ended.exitCode, ended.screen).toBe(130);
    expect(ended.screen).toContain('not confirmed (interrupted at the confirmation): nothing was run');
    expect(ended.screen).not.toContain('internal error');

    // y is told the word.
    const short = await runAtTerminal(site, 'y\r', file);
    expect(short.exitCode).toBe(4);
    expect(short.screen).toContain('refused: not confirmed: the answer must be the whole word "yes"');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user01', 'jhub')).toBeDefined();

    const confirmed = await runAtTerminal(site, 'yes\r', file);
    expect(confirmed.exitCode, confirmed.screen).toBe(0);
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user01', 'jhub')).toBeUndefined();
  }, 120_000);

  it('asks in the live task list, at the step, when what the step destroys is known only then', async () => {
    const site = await sandboxSiteCopy({ seed: { users: 2, namespace: 'jhub' } });
    const file = `${site}/../late.yml`;
    await writeFile(file, lateKnown);
    const declined = await runAtTerminal(site, 'no\r', file);
    expect(declined.screen).toContain('This destroys PersistentVolumeClaim/claim-user02');
    expect(declined.exitCode).toBe(4);
    expect(declined.screen).toContain('not confirmed');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user02', 'jhub')).toBeDefined();
    // Ctrl-C at the step's prompt: the run ends interrupted, saying how to resume, and the claim stays.
    const interrupted = await runAtTerminal(site, '\x03', file);
    expect(interrupted.exitCode, interrupted.screen).toBe(130);
    expect(interrupted.screen).toContain('--resume');
    expect(interrupted.screen).not.toContain('internal error');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user02', 'jhub')).toBeDefined();

    const confirmed = await runAtTerminal(site, 'yes\r', file);
    expect(confirmed.exitCode, confirmed.screen).toBe(0);
    expect(confirmed.screen).toContain('answered: yes');
    expect(siteObject(site, 'PersistentVolumeClaim', 'claim-user02', 'jhub')).toBeUndefined();
  }, 120_000);
});
