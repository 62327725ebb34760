import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findResumable, RunJournal } from '../../runner/app/run-journal.js';
import { buildResult } from '../../runner/engine/step-result.js';
import { tempDir } from '../helpers/temp-dir.js';

const ref = (index: number) => ({ index, name: `step ${index}`, plugin: 'command' });

describe('RunJournal and findResumable', () => {
  it('finds the newest unfinished run of the playbook with its finished steps, ignoring a line cut short by a kill', async () => {
    const dir = await tempDir();
    const old = new RunJournal(dir, '20261101T000000Z');
    old.start('/p/rebuild.yml', false);
    old.end({ ok: 1, changed: 0, failed: 0, interrupted: false, refused: false });
    const killed = new RunJournal(dir, '20261102T000000Z');
    killed.start('/p/rebuild.yml', false);
    killed.step(ref(0), 'changed', buildResult('changed', 'backed up', [], { dir: '/b' }));
    killed.step(ref(1), 'skipped', buildResult('skipped', 'when is false', []));
    appendFileSync(killed.path, '{"type":"step","index":2,"na');
    const other = new RunJournal(dir, '20261103T000000Z');
    other.start('/p/deploy.yml', false);

    const found = findResumable(dir, '/p/rebuild.yml')!;
    expect(found.runId).toBe('20261102T000000Z');
    expect([...found.done.keys()]).toEqual([0, 1]);
    expect(found.done.get(0)!.result['dir']).toBe('/b');
  });

  it('finds nothing when the newest run finished cleanly, and a failed run stays resumable', async () => {
    const dir = await tempDir();
    const failed = new RunJournal(dir, '20261102T000000Z');
    failed.start('/p/rebuild.yml', false);
    failed.step(ref(0), 'failed', buildResult('failed', 'x', []));
    failed.end({ ok: 0, changed: 0, failed: 1, interrupted: false, refused: false });
    expect(findResumable(dir, '/p/rebuild.yml')?.done.size).toBe(0);
    failed.start('/p/rebuild.yml', true);
    failed.step(ref(0), 'changed', buildResult('changed', 'x', []));
    failed.end({ ok: 0, changed: 1, failed: 0, interrupted: false, refused: false });
    expect(findResumable(dir, '/p/rebuild.yml')).toBeUndefined();
  });
});
