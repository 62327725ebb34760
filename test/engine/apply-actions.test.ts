import { describe, expect, it } from 'vitest';
import { ActionFailed, applyActions } from '../../runner/engine/apply-actions.js';
import { processRunner } from '../../runner/exec/process-runner.js';

/** A tool that fails as Ansible does: warnings on stderr, thirty lines of play on stdout, the fatal one last. */
const ansibleLike = [
  'sh',
  '-c',
  'echo "[WARNING]: a deprecation" >&2; for i in $(seq 1 29); do echo "TASK [step $i]"; done; echo "fatal: [node1]: FAILED! => unreachable"; exit 2',
];

async function failure(argv: string[], fullOutput?: string): Promise<string> {
  const error = await applyActions([{ kind: 'exec', argv }], processRunner, undefined, fullOutput).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ActionFailed);
  return `${(error as ActionFailed).message}${(error as ActionFailed).more}`;
}

describe('a failed tool, as the step that ran it says', () => {
  it('shows the end of stderr, then the end of stdout, and where the whole output is', async () => {
    const message = await failure(ansibleLike, '/site/.state/runs/r1.jsonl');
    expect(message).toBe(
      [
        'sh exited with code 2: [WARNING]: a deprecation',
        'its standard output ended with:',
        '… (10 lines before)',
        ...Array.from({ length: 19 }, (_, index) => `TASK [step ${index + 11}]`),
        'fatal: [node1]: FAILED! => unreachable',
        '(the whole output is in /site/.state/runs/r1.jsonl)',
      ].join('\n'),
    );
  });

  it('keeps one stream on the same line, and names no file when nothing was cut', async () => {
    expect(await failure(['sh', '-c', 'echo broken >&2; exit 7'], '/j.jsonl')).toBe('sh exited with code 7: broken');
    expect(await failure(['sh', '-c', 'echo only-stdout; exit 1'])).toBe('sh exited with code 1: only-stdout');
    expect(await failure(['sh', '-c', 'exit 3'])).toBe('sh exited with code 3');
  });
});
