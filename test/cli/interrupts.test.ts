import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { stopGraceMs } from '../../runner/exec/process-runner.js';
import { forwardedCopyMs } from '../../runner/cli/interrupts.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}bin/run.js`;

interface TerminalRun {
  exitCode: number;
  screen: string;
  /** Milliseconds from the last Ctrl-C to the end of the run. */
  afterLastSignal: number;
}

/**
 * Runs a command in a pseudo-terminal (util-linux script) as a person would, and presses Ctrl-C once
 * the long tool runs (it creates `running`), and when `again` once more after the run has taken the first:
 * the terminal's line discipline sends SIGINT to the whole foreground process group, as it does for a person.
 */
async function pressCtrlC(command: string, cwd: string, running: string, again = false): Promise<TerminalRun> {
  const { CI: _ci, ...env } = process.env;
  const child = execa('script', ['-qfec', `stty cols 150 rows 50 && ${command}`, '/dev/null'], {
    reject: false,
    cwd,
    env: { ...env, TERM: 'xterm-256color', NO_COLOR: '1' },
    extendEnv: false,
  });
  let screen = '';
  let ended = false;
  child.stdout!.on('data', (chunk: Buffer) => (screen += String(chunk)));
  void child.finally(() => (ended = true));
  const until = async (condition: () => boolean) => {
    while (!condition() && !ended) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  await until(() => existsSync(running));
  child.stdin!.write('\x03');
  if (again) {
    // The runner has taken the first; a second this soon would be npm's forwarded copy of it, which the runner ignores.
    await until(() => screen.includes('press Ctrl-C again'));
    const firstTaken = Date.now();
    await until(() => Date.now() - firstTaken > forwardedCopyMs);
    child.stdin!.write('\x03');
  }
  const signalled = Date.now();
  const result = await child;
  return {
    exitCode: result.exitCode ?? -1,
    screen: screen + String(result.stdout),
    afterLastSignal: Date.now() - signalled,
  };
}

/**
 * A site of its own (state folder, journal, lock) and a playbook whose second step is a long tool:
 * `setup`, then a file `running` that says the tool is at work, then `work`.
 */
async function site(
  setup: string,
  work: string,
): Promise<{ dir: string; playbook: string; inventory: string; running: string }> {
  const dir = await tempDir();
  const tool = `${setup} touch "${dir}/running"; ${work}`;
  writeFileSync(`${dir}/site.yml`, `site_name: terminal\nstate_dir: ${dir}/.state\n`);
  writeFileSync(
    `${dir}/p.yml`,
    `name: long\nsteps:\n  - name: first\n    command: {argv: [touch, "${dir}/first"]}\n  - name: long tool\n    command: {argv: [sh, -c, 'test -e "$0" || { ${tool}; }', "${dir}/resumed"]}\n  - name: after\n    command: {argv: [touch, "${dir}/after"]}\n`,
  );
  return { dir, playbook: `${dir}/p.yml`, inventory: `${dir}/site.yml`, running: `${dir}/running` };
}

function journalEnd(dir: string): Record<string, unknown> | undefined {
  const [file] = readdirSync(`${dir}/.state/runs`);
  const records = readFileSync(`${dir}/.state/runs/${file}`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  return records.at(-1)?.type === 'end' ? records.at(-1) : undefined;
}

async function leftRunning(marker: string): Promise<string> {
  return (await execa('pgrep', ['-af', marker], { reject: false })).stdout;
}

/** After an interrupt: the journal says so, the site is unlocked, no tool is left, and --resume finishes the run. */
async function expectCleanInterrupt(dir: string, playbook: string, inventory: string, marker: string): Promise<void> {
  expect(journalEnd(dir)).toMatchObject({ type: 'end', interrupted: true });
  expect(existsSync(`${dir}/.state/run.lock`)).toBe(false);
  expect(existsSync(`${dir}/.state/tools.json`)).toBe(false);
  expect(await leftRunning(marker)).toBe('');
  expect(existsSync(`${dir}/after`)).toBe(false);
  writeFileSync(`${dir}/resumed`, '');
  const resumed = await execa('node', [bin, playbook, '-i', inventory, '--resume'], {
    reject: false,
    env: { NO_COLOR: '1', CI: '1' },
  });
  expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  expect(resumed.stdout).toContain('done in run');
  expect(existsSync(`${dir}/after`)).toBe(true);
}

describe('Ctrl-C in a real terminal', () => {
  it('through node bin/run.js: stops a tool and its grandchild, prints the recap marked interrupted with the --resume command, exits 130', async () => {
    const { dir, playbook, inventory, running } = await site('', 'sleep 32.1; echo done');
    const run = await pressCtrlC(`exec node '${bin}' '${playbook}' -i '${inventory}'`, dir, running);
    expect(run.exitCode, run.screen).toBe(130);
    // Far short of the tool's 32 s: the run stopped it rather than waiting for it.
    expect(run.afterLastSignal).toBeLessThan(15_000);
    expect(run.screen).toMatch(/Recap: .*interrupted/);
    expect(run.screen).toContain(`Interrupted; continue with: node ${bin} ${playbook} -i ${inventory} --resume`);
    await expectCleanInterrupt(dir, playbook, inventory, 'sleep 32.1');
  }, 60_000);

  it('through npx run: the same, though npm passes the Ctrl-C on too', async () => {
    const { dir, playbook, inventory, running } = await site('', 'sleep 32.2; echo done');
    const run = await pressCtrlC(`cd '${root}' && exec npx run '${playbook}' -i '${inventory}'`, dir, running);
    expect(run.exitCode, run.screen).toBe(130);
    expect(run.screen).toMatch(/Recap: .*interrupted/);
    expect(run.screen).toContain(`Interrupted; continue with: npx run ${playbook} -i ${inventory} --resume`);
    await expectCleanInterrupt(dir, playbook, inventory, 'sleep 32.2');
  }, 60_000);

  it('stops a tool that ignores SIGTERM after a short grace, and a second Ctrl-C quits at once, the journal closed and the site unlocked', async () => {
    const graceful = await site('trap "" TERM;', 'sleep 33.1');
    const waited = await pressCtrlC(
      `exec node '${bin}' '${graceful.playbook}' -i '${graceful.inventory}'`,
      graceful.dir,
      graceful.running,
    );
    expect(waited.exitCode, waited.screen).toBe(130);
    // The grace is 2 s; far short of the tool's 33 s, which ignores SIGTERM.
    expect(waited.afterLastSignal).toBeLessThan(15_000);
    expect(waited.afterLastSignal).toBeGreaterThanOrEqual(stopGraceMs);
    await expectCleanInterrupt(graceful.dir, graceful.playbook, graceful.inventory, 'sleep 33.1');

    const hurried = await site('trap "" TERM;', 'sleep 33.2');
    const quit = await pressCtrlC(
      `exec node '${bin}' '${hurried.playbook}' -i '${hurried.inventory}'`,
      hurried.dir,
      hurried.running,
      true,
    );
    expect(quit.exitCode, quit.screen).toBe(130);
    expect(quit.afterLastSignal).toBeLessThan(15_000);
    expect(quit.screen).toContain('quit at once: the running tool was killed');
    await expectCleanInterrupt(hurried.dir, hurried.playbook, hurried.inventory, 'sleep 33.2');
  }, 60_000);
});
