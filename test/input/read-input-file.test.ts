import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inputProblemOf } from '../helpers/input-problem.js';
import { readInputText } from '../../runner/input/read-input-file.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('readInputText', () => {
  it('refuses what is not a regular file at once, without waiting on a named pipe that has no writer', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [`${dir}/pipe.yml`]);
    expect(inputProblemOf(() => readInputText(`${dir}/pipe.yml`, 'playbook'))).toBe(
      `playbook ${dir}/pipe.yml is a named pipe (FIFO): only a regular file is read`,
    );
    expect(inputProblemOf(() => readInputText('/dev/zero', 'extra-vars file'))).toBe(
      'extra-vars file /dev/zero is a device: only a regular file is read',
    );
    expect(inputProblemOf(() => readInputText(dir, 'inventory file'))).toBe(
      `inventory file ${dir} is a directory: only a regular file is read`,
    );
  });

  it('refuses a file over the size limit, by its size and while reading it', async () => {
    const dir = await tempDir({ 'big.yml': 'x'.repeat(2048) });
    expect(inputProblemOf(() => readInputText(`${dir}/big.yml`, 'playbook', 1024))).toBe(
      `playbook ${dir}/big.yml is 2048 bytes; the most a file here may be is 1024 bytes`,
    );
  });

  it('stops reading a file whose size the kernel does not say, once it passes the limit', () => {
    expect(inputProblemOf(() => readInputText('/proc/self/status', 'extra-vars file', 10))).toBe(
      'extra-vars file /proc/self/status grew past 10 bytes while being read; the most a file here may be is 10 bytes',
    );
  });

  it('reports invalid UTF-8 at its line and column, and UTF-16 as such', async () => {
    const dir = await tempDir();
    await writeFile(
      `${dir}/bad.yml`,
      Buffer.concat([Buffer.from('name: ok\nvalue: "é'), Buffer.from([0xff]), Buffer.from('"\n')]),
    );
    await writeFile(`${dir}/wide.yml`, Buffer.from('\ufeffname: x\n', 'utf16le'));
    expect(inputProblemOf(() => readInputText(`${dir}/bad.yml`, 'playbook'))).toBe(
      `${dir}/bad.yml:2:10: not valid UTF-8 (byte 0xFF): save the file as UTF-8`,
    );
    expect(inputProblemOf(() => readInputText(`${dir}/wide.yml`, 'playbook'))).toBe(
      `${dir}/wide.yml:1:1: the file is UTF-16: save it as UTF-8`,
    );
  });

  it('reads a valid file, non-ASCII text included', async () => {
    const dir = await tempDir({ 'ok.yml': 'name: Zoë 密\n' });
    expect(readInputText(`${dir}/ok.yml`, 'playbook')).toBe('name: Zoë 密\n');
  });
});
