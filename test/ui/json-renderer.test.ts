import { describe, expect, it } from 'vitest';
import { JsonRenderer } from '../../runner/ui/json-renderer.js';

describe('JsonRenderer', () => {
  it('writes one JSON object per line, diffs as patches, recap keys first', () => {
    const lines: string[] = [];
    const renderer = new JsonRenderer((text) => lines.push(text));
    renderer.listen({
      type: 'step:plan',
      index: 0,
      name: 'edit',
      plugin: 'manifest.edit',
      change: 'update',
      reason: 'r',
      actions: [],
      diffs: [{ path: 'f', before: 'a: 1\n', after: 'a: 2\n' }],
    });
    renderer.listen({
      type: 'recap',
      ok: 1,
      changed: 2,
      skipped: 0,
      failed: 0,
      unknown: 0,
      interrupted: false,
      durationMs: 5,
      steps: [],
    });
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0]!).diffs[0].patch).toContain('-a: 1\n+a: 2');
    expect(lines[1]).toMatch(/^\{"type":"recap","ok":1,"changed":2,"skipped":0,"failed":0,"unknown":0,/);
  });
});
