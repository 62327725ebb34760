import { describe, expect, it } from 'vitest';
import { refuseCutShortState } from '../../../runner/plugins/terraform/local-state.js';
import { PlanRefusal } from '../../../runner/plugin-contract/plan-error.js';
import { fakeProbeIO } from '../../helpers/fake-probe-io.js';

const resource = (name: string) => ({ mode: 'managed', type: 'terraform_data', name, instances: [{ attributes: {} }] });
const state = (serial: number, names: string[]) =>
  JSON.stringify({ version: 4, serial, lineage: 'l', resources: names.map(resource) }, null, 2);
const whole = state(7, ['router', 'fip', 'network']);

const check = (files: Record<string, string>) => refuseCutShortState('tf', fakeProbeIO({ files }));

describe('refuseCutShortState', () => {
  it('lets a whole state, no state and an emptied infrastructure through', async () => {
    await expect(check({ 'tf/terraform.tfstate': whole })).resolves.toBeUndefined();
    await expect(check({})).resolves.toBeUndefined();
    await expect(
      check({ 'tf/terraform.tfstate': state(9, []), 'tf/terraform.tfstate.backup': whole }),
    ).resolves.toBeUndefined();
  });

  it('reads an empty file with no backup, or an empty backup, as terraform does: no state yet', async () => {
    await expect(check({ 'tf/terraform.tfstate': '' })).resolves.toBeUndefined();
    await expect(
      check({ 'tf/terraform.tfstate': '', 'tf/terraform.tfstate.backup': state(1, []) }),
    ).resolves.toBeUndefined();
  });

  it('refuses an emptied state whose backup holds resources, naming the backup and the command that puts it back', async () => {
    const refused = check({ 'tf/terraform.tfstate': '', 'tf/terraform.tfstate.backup': whole });
    await expect(refused).rejects.toBeInstanceOf(PlanRefusal);
    await expect(refused).rejects.toThrow(
      /^tf\/terraform\.tfstate is empty \(0 bytes\): terraform was stopped while writing it/,
    );
    await expect(refused).rejects.toThrow(
      'tf/terraform.tfstate.backup holds the state from before that terraform command (serial 7, 3 resource(s))',
    );
    await expect(refused).rejects.toThrow('`cp tf/terraform.tfstate.backup tf/terraform.tfstate`');
    await expect(refused).rejects.toThrow(/nothing was changed$/);
  });

  it('refuses a state cut off in the middle of its text, with or without a backup', async () => {
    const half = whole.slice(0, whole.length / 2);
    await expect(check({ 'tf/terraform.tfstate': half, 'tf/terraform.tfstate.backup': whole })).rejects.toThrow(
      `tf/terraform.tfstate is cut short or not a terraform state (${half.length} bytes)`,
    );
    await expect(check({ 'tf/terraform.tfstate': half })).rejects.toThrow(
      'there is no tf/terraform.tfstate.backup to go back to: rebuild the state from the cloud (terraform import) before running again; nothing was changed',
    );
  });
});
