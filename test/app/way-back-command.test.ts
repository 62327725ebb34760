import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wayBackCommand } from '../../runner/app/way-back-command.js';
import { tempDir } from '../helpers/temp-dir.js';

const way = { playbook: 'rollback-jhub.yml', vars: { revision: '3' }, to: 'revision 3 of jhub' };

describe('wayBackCommand', () => {
  it('names the playbook beside the run’s own, the same site and the variables', async () => {
    const dir = await tempDir();
    mkdirSync(`${dir}/my playbooks`);
    writeFileSync(`${dir}/my playbooks/rollback-jhub.yml`, 'steps: []\n');
    expect(wayBackCommand('run', `${dir}/my playbooks/upgrade.yml`, '-i inventory/site ', way)).toBe(
      `run ${JSON.stringify(`${dir}/my playbooks/rollback-jhub.yml`)} -i inventory/site -e revision=3`,
    );
  });

  it("falls back to the project's playbook when there is none beside the run's, and leaves no double space for the sandbox", async () => {
    const dir = await tempDir();
    expect(wayBackCommand('npx run', `${dir}/own.yml`, '', way)).toMatch(
      /^npx run \S*playbooks\/rollback-jhub\.yml -e revision=3$/,
    );
  });
});
