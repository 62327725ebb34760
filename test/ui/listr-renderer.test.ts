import { execa } from 'execa';
import { constants } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliAtTerminal } from '../helpers/cli-at-terminal.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A long tool: it says what it is doing (with a secret in the line), then waits at a named point until the test releases it. */
const playbook = (gate: string) => `name: Long
steps:
  - name: Install Kubernetes
    command:
      argv: [sh, -c, 'echo "TASK [kubernetes/preinstall : Install packages] token=$1"; read released < "$0"; echo "PLAY RECAP ok=412"', "${gate}", "{{ token }}"]
`;

/** Lets the tool past its gate; a tool that is not there (it failed early) is not waited for. */
async function release(gate: string): Promise<void> {
  const handle = await open(gate, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
  await handle?.write('go\n');
  await handle?.close();
}

describe('the live task list, at a real terminal', () => {
  it("shows a long step's elapsed time and its tool's last line while it runs, secrets masked", async () => {
    const dir = await tempDir({
      'site.yml': 'site_name: s\nstate_dir: "{{ inventory_dir }}/.state"\ntoken: {secret: canary-s3cret-7788}\n',
    });
    const gate = `${dir}/gate`;
    await execa('mkfifo', [gate]);
    await writeFile(`${dir}/long.yml`, playbook(gate));
    const child = cliAtTerminal([`${dir}/long.yml`, '-i', `${dir}/site.yml`]);
    let screen = '';
    try {
      // Waits for the state the screen must reach (or 30 s); the tool stays at its gate meanwhile.
      await new Promise<void>((resolve) => {
        const giveUp = setTimeout(resolve, 30_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          screen += String(chunk);
          if (/[3-9]s · TASK \[kubernetes\/preinstall : Install packages\]/.test(screen)) {
            clearTimeout(giveUp);
            resolve();
          }
        });
      });
    } finally {
      await release(gate);
    }
    expect(screen).toMatch(/\ds · TASK \[kubernetes\/preinstall : Install packages\] token=\*{8}/);
    const result = await child;
    expect(result.exitCode, screen).toBe(0);
    expect(screen + String(result.stdout)).not.toContain('canary-s3cret-7788');
  }, 60_000);
});
