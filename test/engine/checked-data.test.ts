import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checkedData } from '../../runner/engine/checked-data.js';
import type { AnyPlugin, StepPlan } from '../../runner/plugin-contract/contract.js';
import { builtinPlugins } from '../../runner/plugins/registry.js';
import { resultKeys } from '../../runner/engine/step-result.js';

const plugin = (registers?: Record<string, string>, destroys?: string): AnyPlugin => ({
  name: 'test.plugin',
  summary: 'a plugin for the test',
  schema: Type.Object({}),
  ...(registers ? { registers } : {}),
  ...(destroys ? { destroys } : {}),
  plan: () => ({ change: 'none', reason: 'nothing', actions: [] }),
});
const plan = (data?: Record<string, unknown>): StepPlan => ({
  change: 'none',
  reason: 'x',
  actions: [],
  ...(data ? { data } : {}),
});

describe('checkedData', () => {
  it('passes a plan whose data holds only declared keys, or no data', () => {
    expect(checkedData(plugin({ count: 'how many' }), plan({ count: 1 }))).toEqual(plan({ count: 1 }));
    expect(checkedData(plugin(), plan())).toEqual(plan());
  });

  it('refuses a key the plugin does not declare, and one that a result already has', () => {
    expect(() => checkedData(plugin({ count: 'how many' }), plan({ count: 1, extra: 2 }))).toThrow(
      'test.plugin registers extra, which it does not declare',
    );
    expect(() => checkedData(plugin({ status: 'the release status' }), plan({ status: 'deployed' }))).toThrow(
      /registers status/,
    );
  });

  it('refuses a destruction from a plugin that does not say it may destroy', () => {
    const destroying: StepPlan = { ...plan(), destroys: { what: 'volume pvc-1' } };
    expect(() => checkedData(plugin(), destroying)).toThrow(
      'test.plugin plans to destroy volume pvc-1, but does not say it may destroy',
    );
    expect(checkedData(plugin(undefined, 'when told to'), destroying)).toBe(destroying);
  });

  it('has no built-in plugin declare a key a result already has', () => {
    const clashes = builtinPlugins.flatMap((candidate) =>
      Object.keys(candidate.registers ?? {})
        .filter((key) => (resultKeys as readonly string[]).includes(key))
        .map((key) => `${candidate.name}.${key}`),
    );
    expect(clashes).toEqual([]);
  });
});
