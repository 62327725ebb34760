import { chmod, lstat, readdir, readFile, readlink, stat, symlink } from 'node:fs/promises';
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
    const dir = await tempDir({ f: 'old content that is longer' });
    await writeFileAtomic(`${dir}/f`, 'new');
    expect(await readFile(`${dir}/f`, 'utf8')).toBe('new');
  });

  it('with noClobber, creates a new file but refuses to replace one, leaving it and no temporary file', async () => {
    const dir = await tempDir({ 'pv.yaml': 'the good backup' });
    await writeFileAtomic(`${dir}/pvc.yaml`, 'claims', 0o644, { noClobber: true });
    expect(await readFile(`${dir}/pvc.yaml`, 'utf8')).toBe('claims');
    await expect(writeFileAtomic(`${dir}/pv.yaml`, 'empty', 0o644, { noClobber: true })).rejects.toBeInstanceOf(
      FileExistsError,
    );
    expect(await readFile(`${dir}/pv.yaml`, 'utf8')).toBe('the good backup');
    expect((await readdir(dir)).sort()).toEqual(['pv.yaml', 'pvc.yaml']);
  });

  it('keeps the mode of the file it replaces when given none; a new file gets 0644', async () => {
    const dir = await tempDir({ 'private.yaml': 'old' });
    await chmod(`${dir}/private.yaml`, 0o640);
    await writeFileAtomic(`${dir}/private.yaml`, 'new');
    expect((await stat(`${dir}/private.yaml`)).mode & 0o777).toBe(0o640);
    await writeFileAtomic(`${dir}/fresh.yaml`, 'new');
    expect((await stat(`${dir}/fresh.yaml`)).mode & 0o777).toBe(0o644);
  });

  it('writes through a symbolic link to the file it points at, and the link stays a link', async () => {
    const dir = await tempDir({ 'real/values.yaml': 'before' });
    await symlink('real/values.yaml', `${dir}/link.yaml`);
    await symlink(`${dir}/link.yaml`, `${dir}/link-to-link.yaml`);
    await writeFileAtomic(`${dir}/link-to-link.yaml`, 'after');
    expect((await lstat(`${dir}/link.yaml`)).isSymbolicLink()).toBe(true);
    expect(await readlink(`${dir}/link.yaml`)).toBe('real/values.yaml');
    expect(await readFile(`${dir}/real/values.yaml`, 'utf8')).toBe('after');
    expect((await readdir(`${dir}/real`)).sort()).toEqual(['values.yaml']);
  });

  it('creates the file a dangling link points at, and refuses a loop of links', async () => {
    const dir = await tempDir();
    await symlink('target/made.yaml', `${dir}/dangling.yaml`);
    await writeFileAtomic(`${dir}/dangling.yaml`, 'made');
    expect(await readFile(`${dir}/target/made.yaml`, 'utf8')).toBe('made');
    await symlink(`${dir}/b`, `${dir}/a`);
    await symlink(`${dir}/a`, `${dir}/b`);
    await expect(writeFileAtomic(`${dir}/a`, 'x')).rejects.toMatchObject({ code: 'ELOOP' });
  });
});
