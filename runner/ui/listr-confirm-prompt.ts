import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { ListrPromptAdapter, ListrTaskEventType } from 'listr2';

/**
 * A typed answer inside the live task list. listr2 takes over the terminal's output while it draws,
 * so a plain readline prompt would never be seen; this one is drawn in listr2's prompt bar instead.
 */
export class ListrConfirmPrompt extends ListrPromptAdapter {
  // listr2 types an adapter's run for any answer; this one answers a string.
  run<T = string>(question: string, input?: NodeJS.ReadableStream): Promise<T> {
    return this.ask(question, input ?? process.stdin) as Promise<T>;
  }

  private ask(question: string, input: NodeJS.ReadableStream): Promise<string> {
    this.reportStarted();
    const bar = this.wrapper.stdout(ListrTaskEventType.PROMPT);
    let typed = () => '';
    // readline redraws its line through this stream; the bar shows the question and what is typed so far.
    const echo = Object.assign(
      new Writable({
        write(_chunk, _encoding, done) {
          bar.write(`${question}${typed()}`);
          done();
        },
      }),
      { columns: Number.POSITIVE_INFINITY, rows: Number.POSITIVE_INFINITY, isTTY: true },
    );
    const prompt = createInterface({ input, output: echo, terminal: true });
    typed = () => prompt.line;
    return new Promise<string>((resolve, reject) => {
      let answered = false;
      const finish = (answer: string | Error) => {
        if (answered) return;
        answered = true;
        prompt.close();
        this.reportCompleted();
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      };
      // The terminal is raw while a line is read, so Ctrl-C arrives here rather than as a signal: it interrupts the run.
      prompt.on('SIGINT', () => finish(Object.assign(new Error('interrupted at the prompt'), { name: 'AbortError' })));
      prompt.on('close', () => finish(''));
      prompt.question(question, finish);
    });
  }
}
