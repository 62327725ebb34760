import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modePolicy } from '../../runner/engine/mode-policy.js';

const runner = fileURLToPath(new URL('../../runner', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

describe('the mode policy', () => {
  it('lets a dry run spawn, lock, start or write nothing, a check only probe, and an apply do everything', () => {
    expect(modePolicy('dry-run')).toMatchObject({
      probes: false,
      applies: false,
      locks: false,
      startsSite: false,
      journals: false,
      polls: false,
    });
    expect(modePolicy('check')).toMatchObject({
      probes: true,
      applies: false,
      locks: true,
      startsSite: true,
      journals: false,
      polls: false,
      changesFail: true,
    });
    expect(modePolicy('apply')).toMatchObject({
      probes: true,
      applies: true,
      locks: true,
      startsSite: true,
      journals: true,
      polls: true,
      changesFail: false,
    });
  });

  it('is the one place the run mode is compared: no other module, and no plugin, looks at it', () => {
    const comparisons = sources(runner)
      .filter((file) => !file.endsWith('mode-policy.ts'))
      .flatMap((file) =>
        [
          ...readFileSync(file, 'utf8').matchAll(
            /mode\s*[!=]==?\s*'(apply|check|dry-run)'|'(apply|check|dry-run)'\s*[!=]==?\s*\w*mode|case '(apply|check|dry-run)'/g,
          ),
        ].map((match) => `${relative(runner, file)}: ${match[0]}`),
      );
    expect(comparisons).toEqual([]);
    const pluginsSeeingMode = sources(join(runner, 'plugins')).filter((file) =>
      /\bRunMode\b|ctx\.mode|options\.mode/.test(readFileSync(file, 'utf8')),
    );
    expect(pluginsSeeingMode).toEqual([]);
  });
});
