import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDiffFiles } from '../../runner/ui/diff-files.js';
import { presentDiff, shownDiffLines } from '../../runner/ui/present-diff.js';
import { unifiedDiff } from '../../runner/ui/format-diff-text.js';
import { tempDir } from '../helpers/temp-dir.js';

const lines = (count: number, word: string) =>
  Array.from({ length: count }, (_, index) => `${word} ${index}`).join('\n');
const list = (count: number) =>
  JSON.stringify(
    {
      kind: 'List',
      items: Array.from({ length: count }, (_, index) => ({
        kind: 'PersistentVolumeClaim',
        metadata: { name: `claim-${index}`, namespace: 'jhub' },
      })),
    },
    null,
    2,
  );

describe('presentDiff', () => {
  it('prints a short diff whole', () => {
    const diff = { path: 'values.yaml', before: 'a: 1\n', after: 'a: 2\n' };
    expect(presentDiff(diff, 'summary', undefined, 'x')).toEqual(unifiedDiff(diff).split('\n'));
  });

  it('cuts a long diff short, with the count of what changed and the file that holds all of it', async () => {
    const files = tempDiffFiles(await tempDir());
    const diff = { path: 'big.txt', before: lines(300, 'old'), after: lines(300, 'new') };
    const shown = presentDiff(diff, 'summary', files, 'step-3-big.txt');
    expect(shown.length).toBeLessThanOrEqual(shownDiffLines);
    const last = shown.at(-1)!;
    expect(last).toMatch(/^… \d+ more diff lines \(\+300 −300 lines in all; full diff: (\S+step-3-big\.txt\.diff)\)$/);
    const path = /full diff: (\S+)\)$/.exec(last)![1]!;
    expect(readFileSync(path, 'utf8')).toBe(`${unifiedDiff(diff)}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('summarises a list item by item, and keeps the line diff in a file', async () => {
    const files = tempDiffFiles(await tempDir());
    const shown = presentDiff(
      { path: 'pvc-restore.json', before: undefined, after: list(184) },
      'summary',
      files,
      'step-2-pvc-restore.json',
    );
    expect(shown[0]).toBe('pvc-restore.json: 184 item(s): 184 added, 0 changed, 0 dropped, 0 unchanged');
    expect(shown[1]).toBe('+ PersistentVolumeClaim jhub claim-0');
    expect(shown.at(-1)).toMatch(/^\(\+\d+ −0 lines; full diff: \S+\.diff\)$/);
    expect(shown.length).toBeLessThan(25);
  });

  it('does not diff line by line a file where thousands of lines changed: the list summary says what, a note says why no more', async () => {
    const files = tempDiffFiles(await tempDir());
    const volumes = (policy: string) =>
      JSON.stringify(
        {
          kind: 'List',
          items: Array.from({ length: 3000 }, (_, index) => ({
            kind: 'PersistentVolume',
            metadata: { name: `pvc-${index}` },
            spec: { persistentVolumeReclaimPolicy: policy },
          })),
        },
        null,
        2,
      );
    const diff = { path: 'pv.json', before: volumes('Delete'), after: volumes('Retain') };
    const shown = presentDiff(diff, 'summary', files, 'step-3-pv.json');
    expect(shown[0]).toBe('pv.json: 3000 item(s): 0 added, 3000 changed, 0 dropped, 0 unchanged');
    expect(shown.at(-1)).toMatch(
      /^\(not diffed line by line: more than 2000 lines changed; \d+ lines before, \d+ lines after\)$/,
    );
    expect(unifiedDiff(diff).split('\n').slice(0, 2)).toEqual(['--- pv.json', '+++ pv.json']);
  });

  it('with full, prints every line, bookkeeping and all', () => {
    const diff = { path: 'big.txt', before: lines(300, 'old'), after: `${lines(300, 'new')}\n  resourceVersion: "2"` };
    const shown = presentDiff(diff, 'full', undefined, 'x');
    expect(shown).toEqual(unifiedDiff(diff).split('\n'));
    expect(shown.join('\n')).toContain('resourceVersion');
  });

  it('says how to see all of it when the file cannot be written', () => {
    const shown = presentDiff(
      { path: 'big.txt', before: lines(300, 'old'), after: lines(300, 'new') },
      'summary',
      { save: () => undefined },
      'x',
    );
    expect(shown.at(-1)).toContain('rerun with --diff full to see all of it');
  });
});
