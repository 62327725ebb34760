import { describe, expect, it } from 'vitest';
import { confirmUpFront } from '../../runner/app/confirm-up-front.js';
import { describeSite } from '../../runner/app/site-description.js';
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
    expect(await confirmUpFront(prepared, { ask: ask(' YES \n') }, 'site prod (real: cloud openstack)')).toBe(true);
    expect(asked[0]).toMatch(/^This run may destroy, on site prod \(real: cloud openstack\):\n/);
    expect(asked[0]).toContain('[2/2] Destroy the infrastructure');
    for (const answer of ['yes please', '', 'no'])
      expect(await confirmUpFront(prepared, { ask: ask(answer) })).toBe('refused: not confirmed');
    // Someone who answers y is told the word.
    for (const answer of ['y', 'Ye'])
      expect(await confirmUpFront(prepared, { ask: ask(answer) })).toBe(
        'refused: not confirmed: the answer must be the whole word "yes"',
      );
  });
});

describe('describeSite', () => {
  it('names the site, whether it is simulated, and how it is reached', () => {
    expect(describeSite({ site: 'sandbox', sandbox: {} })).toBe('site sandbox (simulated, on this machine)');
    expect(
      describeSite({ site: 'prod', kubeconfig: '/k', kube_context: 'c', openstack_cloud: 'js2', terraform_dir: '/t' }),
    ).toBe('site prod (real: cluster of /k, context c; cloud js2; terraform in /t)');
    expect(describeSite({ site: 'rehearsal', site_simulated: true })).toBe('site rehearsal (simulated)');
  });
});
