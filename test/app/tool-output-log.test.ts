import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A tool that prints thirty lines, one of them with a secret, then fails as Ansible does: at the end of stdout. */
const playbook = `name: Noisy
steps:
  - name: Install Kubernetes
    command:
      argv: [sh, -c, 'for i in $(seq 1 29); do echo "TASK [step $i] $0"; done; echo "fatal: [node1]: UNREACHABLE"; exit 2', "{{ token }}"]
`;
const site = 'site_name: s\nstate_dir: "{{ inventory_dir }}/.state"\ntoken: {secret: canary-log-9911}\n';

describe("a tool's output as it prints it", () => {
  it('goes to the run log beside the journal, masked, which the failure names; --verbose prints every line too', async () => {
    const dir = await tempDir({ 'noisy.yml': playbook, 'site.yml': site });
    const quiet = await runApp([`${dir}/noisy.yml`, '-i', `${dir}/site.yml`, '-e', 'run_id=quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toContain('| TASK [step 1]');
    const log = `${dir}/.state/runs/quiet.log`;
    expect(quiet.stdout).toContain(`fatal: [node1]: UNREACHABLE\n(the whole output is in ${log})`);
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^--- step 1: Install Kubernetes \(\d{4}-\d\d-\d\dT/);
    expect(lines.slice(1, 31)).toEqual([
      ...Array.from({ length: 29 }, (_, index) => `TASK [step ${index + 1}] ********`),
      'fatal: [node1]: UNREACHABLE',
    ]);

    const verbose = await runApp([`${dir}/noisy.yml`, '-i', `${dir}/site.yml`, '-e', 'run_id=loud', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stdout).toContain('      | TASK [step 1] ********\n      | TASK [step 2] ********\n');
    expect(verbose.stdout).toContain('      | fatal: [node1]: UNREACHABLE\n');
    for (const file of readdirSync(`${dir}/.state/runs`))
      expect(readFileSync(`${dir}/.state/runs/${file}`, 'utf8')).not.toContain('canary-log-9911');
    expect(verbose.stdout + quiet.stdout).not.toContain('canary-log-9911');
  });
});
