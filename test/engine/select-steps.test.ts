import { describe, expect, it } from 'vitest';
import { selectSteps } from '../../runner/engine/select-steps.js';
import type { PluginStep } from '../../runner/load/plugin-step.js';

const step = (index: number, name: string, tags?: string[]): PluginStep => ({
  index,
  name,
  plugin: 'command',
  args: {},
  ...(tags ? { tags } : {}),
  location: { file: 'p', line: index + 1, col: 1 },
  locate: () => ({ file: 'p', line: 1, col: 1 }),
});

const steps = [
  step(0, 'backup', ['backup']),
  step(1, 'destroy', ['infra', 'danger']),
  step(2, 'report', ['always']),
  step(3, 'deploy', ['jhub']),
];
const names = (list: PluginStep[]) => list.map((item) => item.name);

describe('selectSteps', () => {
  it('selects everything by default', () => {
    expect(names(selectSteps(steps, {}))).toEqual(['backup', 'destroy', 'report', 'deploy']);
  });

  it('keeps tagged and always steps for --tags', () => {
    expect(names(selectSteps(steps, { tags: ['jhub'] }))).toEqual(['report', 'deploy']);
  });

  it('removes skipped tags, even always', () => {
    expect(names(selectSteps(steps, { skipTags: ['danger', 'always'] }))).toEqual(['backup', 'deploy']);
  });

  it('starts at a step by exact name, then applies tags', () => {
    expect(names(selectSteps(steps, { startAt: 'destroy' }))).toEqual(['destroy', 'report', 'deploy']);
    expect(names(selectSteps(steps, { startAt: 'destroy', tags: ['backup'] }))).toEqual(['report']);
  });

  it('refuses an unknown start step with a did-you-mean', () => {
    expect(() => selectSteps(steps, { startAt: 'deplyo' })).toThrow(
      '--start-at: no step is named "deplyo" (did you mean "deploy"?)',
    );
    // A name remembered by its words rather than its spelling.
    expect(() => selectSteps(steps, { startAt: 'the report' })).toThrow('(did you mean "report"?)');
    expect(() => selectSteps(steps, { startAt: 'something else' })).toThrow('(the steps are listed by --list-steps)');
  });

  it('refuses a tag no step has, in --tags or --skip-tags, and takes "always"', () => {
    expect(() => selectSteps(steps, { tags: ['bakcup'] })).toThrow(
      '--tags: no step has the tag "bakcup" (did you mean \'backup\'?)',
    );
    expect(() => selectSteps(steps, { skipTags: ['nothing-like-it'] })).toThrow(
      '--skip-tags: no step has the tag "nothing-like-it" (the tags are: ',
    );
    expect(() => selectSteps(steps, { tags: ['always'] })).not.toThrow();
  });
});
