import { readdir, readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../runner/exec/atomic-write.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('writeFileAtomic', () => {
  it('writes content with the mode and leaves no temporary file', async () => {
    const dir = await tempDir();
    await writeFileAtomic(`${dir}/sub/secrets.yaml`, 'token: x\n', 0o600);
    expect(await readFile(`${dir}/sub/secrets.yaml`, 'utf8')).toBe('token: x\n');
    expect((await stat(`${dir}/sub/secrets.yaml`)).mode & 0o777).toBe(0o600);
    expect(await readdir(`${dir}/sub`)).toEqual(['secrets.yaml']);
  });

  it('replaces an existing file whole', async () => {
    const dir = await tempDir({ 'f': 'old content that is longer' });
    await writeFileAtomic(`${dir}/f`, 'new');
    expect(await readFile(`${dir}/f`, 'utf8')).toBe('new');
  });
});
