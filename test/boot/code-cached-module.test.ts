import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeCachePath, loadCodeCachedModule } from '../../runner/boot/code-cached-module.js';
import { tempDir } from '../helpers/temp-dir.js';

const builtLoader = fileURLToPath(new URL('../../dist/bundle/code-cached-module.cjs', import.meta.url));

// Each test uses source text of its own: V8 keeps what one process compiled and would then ignore any cache.
let unique = 0;
const moduleText = (answer: number) =>
  `// ${process.pid}-${(unique += 1)}\nconst { sibling } = require('./sibling.cjs');\nexports.answer = () => ${answer} + sibling;\nexports.where = __filename + '|' + __dirname;\n`;

/** The saved code, without the file that remembers the bundle's hash. */
const caches = (cacheDir: string) => readdirSync(cacheDir).filter((name) => name.endsWith('.v8cache'));

async function fixture(answer = 40) {
  const dir = await tempDir({ 'sibling.cjs': 'exports.sibling = 2;\n', 'main.cjs': moduleText(answer) });
  return { dir, file: join(dir, 'main.cjs'), cacheDir: join(dir, 'cache') };
}

/** Loads the file in a new node process, as the next run of the CLI would. */
function loadInNewProcess(file: string, cacheDir: string): { fromCache: boolean; answer: number } {
  const script = `const m = require(${JSON.stringify(builtLoader)}).loadCodeCachedModule(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)}); console.log(JSON.stringify({ fromCache: m.fromCache, answer: m.exports.answer() }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
    fromCache: boolean;
    answer: number;
  };
}

describe('loadCodeCachedModule', () => {
  it('runs a CommonJS file with its own require, __filename and __dirname', async () => {
    const { dir, file, cacheDir } = await fixture();
    const loaded = loadCodeCachedModule(file, cacheDir);
    expect((loaded.exports['answer'] as () => number)()).toBe(42);
    expect(loaded.exports['where']).toBe(`${file}|${dir}`);
  });

  it('compiles the first time, saves the code, and the next process starts from it', async () => {
    const { file, cacheDir } = await fixture();
    const first = loadCodeCachedModule(file, cacheDir);
    expect(first.fromCache).toBe(false);
    (first.exports['answer'] as () => number)();
    first.saveCache();
    expect(caches(cacheDir)).toEqual([codeCachePath(file, readFileSync(file), cacheDir).split('/').pop()]);
    expect(loadInNewProcess(file, cacheDir)).toEqual({ fromCache: true, answer: 42 });
  });

  it('never runs the code of an older build: changed bytes get a cache of their own and the old one goes', async () => {
    const { file, cacheDir } = await fixture(40);
    loadCodeCachedModule(file, cacheDir).saveCache();
    const [before] = caches(cacheDir);
    // The same length as before: V8 alone would take the old cache for this source.
    writeFileSync(file, readFileSync(file, 'utf8').replace('40 + sibling', '50 + sibling'));
    expect(loadInNewProcess(file, cacheDir)).toEqual({ fromCache: false, answer: 52 });
    const changed = loadCodeCachedModule(file, cacheDir);
    changed.saveCache();
    expect(caches(cacheDir)).toHaveLength(1);
    expect(caches(cacheDir)[0]).not.toBe(before);
    expect(loadInNewProcess(file, cacheDir)).toEqual({ fromCache: true, answer: 52 });
  });

  it("remembers the hash of the bytes it read with the file's identity, and hashes again once the file is written", async () => {
    const { file, cacheDir } = await fixture(40);
    loadCodeCachedModule(file, cacheDir).saveCache();
    const stamp = join(cacheDir, 'stamp-main.cjs.json');
    const remembered = JSON.parse(readFileSync(stamp, 'utf8')) as { identity: string; hash: string };
    expect(codeCachePath(file, readFileSync(file), cacheDir)).toContain(remembered.hash);
    // A remembered hash is what names the cache: one that named other bytes would find no cache.
    writeFileSync(stamp, JSON.stringify({ ...remembered, hash: 'f'.repeat(32) }));
    expect(loadInNewProcess(file, cacheDir)).toEqual({ fromCache: false, answer: 42 });
    // Written again, byte for byte the same: its change time moved, so it is hashed anew and its cache found.
    writeFileSync(file, readFileSync(file));
    expect(loadInNewProcess(file, cacheDir)).toEqual({ fromCache: true, answer: 42 });
  });

  it('ignores a cache V8 refuses, runs anyway, and replaces it', async () => {
    const { file, cacheDir } = await fixture();
    const path = codeCachePath(file, readFileSync(file), cacheDir);
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path, 'not V8 code at all');
    const loaded = loadCodeCachedModule(file, cacheDir);
    expect(loaded.fromCache).toBe(false);
    expect((loaded.exports['answer'] as () => number)()).toBe(42);
    loaded.saveCache();
    expect(loadInNewProcess(file, cacheDir)).toEqual({ fromCache: true, answer: 42 });
  });

  it('runs without a cache where none can be written', async () => {
    const { dir, file } = await fixture();
    const blocked = join(dir, 'sibling.cjs', 'cache');
    const loaded = loadCodeCachedModule(file, blocked);
    expect(() => loaded.saveCache()).not.toThrow();
    expect(loadInNewProcess(file, blocked)).toEqual({ fromCache: false, answer: 42 });
  });

  it('reads a file that is not ASCII as UTF-8', async () => {
    const dir = await tempDir({ 'main.cjs': "exports.text = 'Müller ✓';\n" });
    expect(loadCodeCachedModule(join(dir, 'main.cjs'), join(dir, 'cache')).exports['text']).toBe('Müller ✓');
  });
});
