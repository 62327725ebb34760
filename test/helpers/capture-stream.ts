import { Writable } from 'node:stream';

export interface CapturedStream {
  stream: NodeJS.WriteStream;
  text: () => string;
}

/** A non-TTY stream that keeps what was written, standing in for stdout or stderr. */
export function captureStream(): CapturedStream {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream: writable as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}
