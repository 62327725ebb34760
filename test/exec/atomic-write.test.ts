import { readdir, readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileExistsError, writeFileAtomic } from '../../runner/exec/atomic-write.js';
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

  it('with noClobber, creates a new file but refuses to replace one, leaving it and no temporary file', async () => {
    const dir = await tempDir({ 'pv.yaml': 'the good backup' });
    await writeFileAtomic(`${dir}/pvc.yaml`, 'claims', 0o644, { noClobber: true });
    expect(await readFile(`${dir}/pvc.yaml`, 'utf8')).toBe('claims');
    await expect(writeFileAtomic(`${dir}/pv.yaml`, 'empty', 0o644, { noClobber: true })).rejects.toBeInstanceOf(FileExistsError);
    expect(await readFile(`${dir}/pv.yaml`, 'utf8')).toBe('the good backup');
    expect((await readdir(dir)).sort()).toEqual(['pv.yaml', 'pvc.yaml']);
  });
});
