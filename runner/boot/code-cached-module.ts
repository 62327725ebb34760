import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCachedModule {
  exports: Record<string, unknown>;
  /** True when V8 started from the saved cache instead of compiling the source. */
  fromCache: boolean;
  /** A hash of the module's bytes: names this build. */
  hash: string;
  /** Saves V8's code for every function run so far, when there was no usable cache; never throws. */
  saveCache(): void;
}

/**
 * Where the code for these exact bytes is cached. V8 checks only the source's length before running
 * cached code, so the name carries a hash of the content and the node build.
 */
export function codeCachePath(file: string, bytes: Buffer, cacheDir: string, hash = contentHash(bytes)): string {
  return join(cacheDir, `${basename(file)}.${hash}-${process.version}-${process.arch}.v8cache`);
}

// node:crypto is loaded only when a hash is not remembered: loading it took ~3 ms of every run.
const contentHash = (bytes: Buffer) =>
  process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex').slice(0, 32);

const identityOf = (file: string) => {
  const stats = statSync(file, { bigint: true });
  return `${stats.ino}:${stats.size}:${stats.ctimeNs}:${stats.mtimeNs}`;
};

/**
 * A file's bytes and their hash, the hash remembered beside the cache with the file's inode, size
 * and change times in nanoseconds: hashing the 1.5 MB bundle took a few ms of every run. Any write
 * changes the change time, and a file that changes while it is read is hashed anew, so a remembered
 * hash never names other bytes.
 */
function readWithHash(file: string, cacheDir: string): { bytes: Buffer; hash: string } {
  const stamp = join(cacheDir, `stamp-${basename(file)}.json`);
  const before = identityOf(file);
  const bytes = readFileSync(file);
  const identity = identityOf(file);
  if (identity !== before) return { bytes, hash: contentHash(bytes) };
  try {
    const remembered = JSON.parse(readFileSync(stamp, 'utf8')) as { identity?: string; hash?: string };
    if (remembered.identity === identity && remembered.hash) return { bytes, hash: remembered.hash };
  } catch {
    // None yet, or unreadable: hash the bytes.
  }
  const hash = contentHash(bytes);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${stamp}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ identity, hash }));
    renameSync(temporary, stamp);
  } catch {
    // A read-only checkout hashes every run.
  }
  return { bytes, hash };
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Loads a CommonJS file through V8's code cache, since compiling the bundle and its cold functions
 * was a third of a dry run's start-up; Node 20 has no module compile cache of its own.
 */
export function loadCodeCachedModule(file: string, cacheDir: string): CodeCachedModule {
  const { bytes, hash } = readWithHash(file, cacheDir);
  // esbuild writes ASCII, which decodes three times faster as latin1 than as UTF-8.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cachePath = codeCachePath(file, bytes, cacheDir, hash);
  const cachedData = readOptional(cachePath);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as Record<string, unknown> };
  const compiled = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  compiled.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let saved = fromCache;
  return {
    get exports() {
      return module.exports;
    },
    fromCache,
    hash,
    saveCache() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(cacheDir, { recursive: true });
        const temporary = `${cachePath}.${process.pid}-${Date.now()}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cachePath);
        for (const name of readdirSync(cacheDir)) {
          // Older builds' caches, and a temporary file a killed run left; a concurrent writer whose file goes only loses its rename.
          if (name.startsWith(`${basename(file)}.`) && join(cacheDir, name) !== cachePath)
            rmSync(join(cacheDir, name), { force: true });
        }
      } catch {
        // A read-only checkout only loses the speed-up.
      }
    },
  };
}
