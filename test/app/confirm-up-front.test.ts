import { describe, expect, it } from 'vitest';
import { confirmUpFront } from '../../runner/app/confirm-up-front.js';
import type { PluginStep } from '../../runner/load/plugin-step.js';

const step = (index: number, name: string) =>
  ({ index, name, plugin: 'terraform.destroy', args: {}, location: { file: 'p.yml', line: 1, col: 1 } }) as PluginStep;
const backup = step(0, 'Back up');
const destroy = step(1, 'Destroy the infrastructure');
const prepared = { steps: [backup, destroy], destroying: [{ step: destroy, what: 'every resource in its state' }] };

describe('confirmUpFront', () => {
  it('refuses with no one to ask, naming each step that may destroy and the way to go on', async () => {
    const refusal = await confirmUpFront(prepared, {});
    expect(refusal).toMatch(/^refused: .*no terminal.*--check, then rerun with --yes:\n/);
    expect(refusal).toContain('  [2/2] Destroy the infrastructure: every resource in its state');
  });

  it('goes on only on "yes", whatever its case and spaces, and shows the list it asks about', async () => {
    const asked: string[] = [];
    const ask = (answer: string) => async (question: string) => (asked.push(question), answer);
    expect(await confirmUpFront(prepared, { ask: ask(' YES \n') })).toBe(true);
    expect(asked[0]).toContain('[2/2] Destroy the infrastructure');
    for (const answer of ['y', 'yes please', '', 'no'])
      expect(await confirmUpFront(prepared, { ask: ask(answer) })).toBe('refused: not confirmed');
  });
});
