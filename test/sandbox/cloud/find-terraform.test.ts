import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseTerraform, onPath } from '../../../sandbox/cloud/find-terraform.js';
import { realTerraform } from '../../helpers/terraform-engines.js';
import { tempDir } from '../../helpers/temp-dir.js';

/** A folder holding a `terraform` script that reports the given version. */
async function fakeTerraform(version: string): Promise<string> {
  const dir = join(await tempDir(), 'bin');
  mkdirSync(dir);
  const script = join(dir, 'terraform');
  writeFileSync(script, `#!/bin/sh\necho '{"terraform_version":"${version}"}'\n`);
  chmodSync(script, 0o755);
  return dir;
}

async function withPath<T>(path: string, body: () => T): Promise<T> {
  const saved = process.env['PATH'];
  process.env['PATH'] = path;
  try {
    return body();
  } finally {
    process.env['PATH'] = saved;
  }
}

describe('chooseTerraform', () => {
  // CI sets this where terraform is installed, so a broken detection cannot quietly leave only the stand-in tested.
  it.runIf(process.env['JHUB_EXPECT_REAL_TERRAFORM'] === '1')(
    'finds the real terraform that CI says is installed',
    () => {
      expect(realTerraform).toMatchObject({ kind: 'real' });
    },
  );

  it('takes a terraform of 1.4 or later', async () => {
    const dir = await fakeTerraform('1.11.4');
    expect(await withPath(dir, () => chooseTerraform('auto', []))).toEqual({
      kind: 'real',
      path: join(dir, 'terraform'),
      version: '1.11.4',
    });
  });

  it('refuses one older than terraform_data, and says so', async () => {
    const dir = await fakeTerraform('1.3.9');
    const choice = await withPath(dir, () => chooseTerraform('real', []));
    expect(choice).toEqual({
      kind: 'stand-in',
      reason: `${join(dir, 'terraform')} is terraform 1.3.9; the sandbox needs 1.4 or later`,
    });
  });

  it('says when there is none', async () => {
    const dir = await tempDir();
    expect(await withPath(dir, () => chooseTerraform('auto', []))).toEqual({
      kind: 'stand-in',
      reason: 'no terraform on PATH',
    });
  });

  it('never takes the sandbox shim for the real one', async () => {
    const shims = await fakeTerraform('1.11.4');
    const real = await fakeTerraform('1.9.0');
    expect(await withPath(`${shims}:${real}`, () => chooseTerraform('auto', [shims]))).toMatchObject({
      kind: 'real',
      version: '1.9.0',
    });
    expect(onPath('terraform', [shims, real], `${shims}:${real}`)).toBeUndefined();
  });

  it('drives the stand-in when the site asks for it', () => {
    expect(chooseTerraform('stand-in', [])).toEqual({ kind: 'stand-in', reason: 'sandbox.terraform is stand-in' });
  });
});
