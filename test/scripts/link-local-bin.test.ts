import { execa } from 'execa';
import { cpSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('link-local-bin', () => {
  it('declares only jhub-run, so `npm link` installs no global `run`', () => {
    const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ 'jhub-run': 'bin/run.js' });
  });

  it('links node_modules/.bin/run to bin/run.js, replacing a stale file, and `npx run` runs the checkout', async () => {
    const dir = await tempDir();
    mkdirSync(`${dir}/scripts`);
    cpSync(`${root}scripts/link-local-bin.mjs`, `${dir}/scripts/link-local-bin.mjs`);
    mkdirSync(`${dir}/node_modules/.bin`, { recursive: true });
    writeFileSync(`${dir}/node_modules/.bin/run`, 'some other package');
    await execa('node', [`${dir}/scripts/link-local-bin.mjs`]);
    expect(lstatSync(`${dir}/node_modules/.bin/run`).isSymbolicLink()).toBe(true);
    expect(readlinkSync(`${dir}/node_modules/.bin/run`)).toBe('../../bin/run.js');

    const version = await execa('npx', ['run', '--version'], { cwd: root });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version);
  }, 60_000);
});
