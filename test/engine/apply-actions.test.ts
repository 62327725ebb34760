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

describe('independent commands a plan lets run side by side', () => {
  /** A runner whose commands each wait until `together` of them have started: only side by side do they finish. */
  function gate(together: number, exitCodes: Record<string, number> = {}) {
    let started = 0;
    let open: () => void = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    const order: string[] = [];
    const runner = {
      run: async (spec: { argv: string[] }) => {
        started += 1;
        if (started >= together) open();
        await opened;
        order.push(spec.argv[0]!);
        return { exitCode: exitCodes[spec.argv[0]!] ?? 0, stdout: spec.argv[0]!, stderr: '' };
      },
    };
    return { runner, order };
  }
  const exec = (name: string) => ({ kind: 'exec' as const, argv: [name] });

  it('runs at most `concurrency` at a time, and returns their outcomes in plan order', async () => {
    const { runner } = gate(3);
    const outcomes = await applyActions([exec('a'), exec('b'), exec('c')], runner, undefined, undefined, undefined, 3);
    expect(outcomes.map((outcome) => outcome.stdout)).toEqual(['a', 'b', 'c']);
  });

  it('lets every command end, then fails on the first failure in plan order', async () => {
    const { runner, order } = gate(2, { b: 4, c: 5 });
    const error = await applyActions(
      [exec('a'), exec('b'), exec('c')],
      runner,
      undefined,
      undefined,
      undefined,
      2,
    ).catch((caught: unknown) => caught);
    expect(order.sort()).toEqual(['a', 'b', 'c']);
    expect(error).toBeInstanceOf(ActionFailed);
    expect((error as ActionFailed).message).toBe('b exited with code 4: b');
    expect((error as ActionFailed).outcomes.map((outcome) => outcome.stdout)).toEqual(['a', 'b']);
  });
});
