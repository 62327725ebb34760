import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const playbook = 'name: ok\nsteps:\n  - name: check\n    assert: {that: []}\n';

/** The real CLI, optionally wrapped (as another user, in a namespace with a tiny disk). */
function cli(dir: string, stateDir: string, wrapper: string[] = []) {
  writeFileSync(join(dir, 'p.yml'), playbook);
  writeFileSync(join(dir, 'site.yml'), `state_dir: ${JSON.stringify(stateDir)}\n`);
  const argv = [...wrapper, process.execPath, bin, join(dir, 'p.yml'), '-i', join(dir, 'site.yml')];
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stderr: result.stderr };
}

/** One line naming the path and the remedy, exit 5, never "internal error" or a stack trace. */
function expectOneLine(run: { code: number | null; stderr: string }, line: string): void {
  expect(run.code, run.stderr).toBe(5);
  expect(run.stderr.trim().split('\n')).toEqual([line]);
}

describe('the state folder cannot be written', () => {
  it('a file where the folder should be', async () => {
    const dir = await tempDir({ state: 'not a folder\n' });
    expectOneLine(
      cli(dir, join(dir, 'state')),
      `error: cannot write ${join(dir, 'state')}: something is already there; a file stands where a folder should be: move it away, or set state_dir in the inventory to a folder it may write`,
    );
    expectOneLine(
      cli(dir, join(dir, 'state', 'below')),
      `error: cannot write ${join(dir, 'state', 'below')}: a part of the path is a file, not a directory; a file stands where a folder should be: move it away, or set state_dir in the inventory to a folder it may write`,
    );
  });

  it('a folder the runner may not write', async () => {
    const dir = await tempDir();
    mkdirSync(join(dir, 'locked'), { mode: 0o555 });
    execFileSync('chmod', ['755', dir]);
    // As root every permission is granted: the runner then runs as nobody, as an operator's account would.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    expectOneLine(
      cli(dir, join(dir, 'locked', 'state'), asUser),
      `error: cannot write ${join(dir, 'locked', 'state')}: permission denied; give the runner's user write permission there, or set state_dir in the inventory to a folder it may write`,
    );
  });

  it('a full disk', async () => {
    const dir = await tempDir();
    mkdirSync(join(dir, 'tiny'));
    // A 16 KiB disk of its own, almost full, in a mount namespace: the rest of the machine is untouched.
    const script = 'mount -t tmpfs -o size=16k tmpfs "$1" && head -c 12000 /dev/zero > "$1/fill" && shift && exec "$@"';
    const run = cli(dir, join(dir, 'tiny', 'state'), [
      'unshare',
      '--map-root-user',
      '--mount',
      'sh',
      '-c',
      script,
      'sh',
      join(dir, 'tiny'),
    ]);
    expectOneLine(
      run,
      `error: cannot write in ${join(dir, 'tiny', 'state')}: no space left on the device; free some space on that disk, then run again (--resume continues an interrupted run)`,
    );
  });
});
