import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Texts above this size are parsed every time: the cache is for playbooks and inventories, not data files. */
const largestCachedText = 256 * 1024;

/** Where parsed YAML is kept for one build of the runner; unset (no caching) unless the CLI sets it. */
let cacheDir: string | undefined;

/**
 * Keeps what the YAML parser made of a text, for the CLI built as `buildId`: parsing the playbooks of a
 * rebuild with positions took ~11 ms of every preview, the largest part of its start-up. Older builds'
 * entries are removed when this build writes its first one.
 */
export function keepParsedYaml(place: { cacheDir: string; buildId: string } | undefined): void {
  cacheDir = place && join(place.cacheDir, `yaml-${place.buildId.slice(0, 16)}`);
}

/** FNV-1a of the text: only names the file, whose stored text is compared in full before it is used. */
function nameOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16).padStart(8, '0')}-${text.length}.json`;
}

/** What this build made of a text: its value, and the checks (such as the playbook schema) it passed. */
export interface KeptParse {
  value: unknown;
  passed: string[];
}

/** The value this build parsed from exactly this text before, when it kept one. */
export function parsedBefore(text: string): KeptParse | undefined {
  if (!cacheDir || text.length > largestCachedText) return undefined;
  try {
    const kept = JSON.parse(readFileSync(join(cacheDir, nameOf(text)), 'utf8')) as Partial<KeptParse> & {
      text?: unknown;
    };
    if (kept.text !== text || !('value' in kept)) return undefined;
    return { value: kept.value, passed: Array.isArray(kept.passed) ? kept.passed.map(String) : [] };
  } catch {
    return undefined;
  }
}

/** Plain data that JSON gives back unchanged: no Infinity, NaN or -0, no `__proto__` key, nothing but maps, lists and scalars. */
function survivesJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(survivesJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return false;
  return Object.values(value).every(survivesJson);
}

/** Keeps a value parsed without any problem, with the checks it passed; never throws, and keeps nothing JSON would change. */
export function keepParsed(text: string, { value, passed }: KeptParse): void {
  if (!cacheDir || text.length > largestCachedText || !survivesJson(value)) return;
  try {
    const stored = JSON.stringify({ text, value, passed });
    // An alias repeats its anchor's value: a text whose value is many times its size is parsed each time.
    if (stored.length > 8 * text.length + 65_536) return;
    const fresh = mkdirSync(cacheDir, { recursive: true }) !== undefined;
    if (fresh) removeOtherBuilds(cacheDir);
    const path = join(cacheDir, nameOf(text));
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, stored);
    renameSync(temporary, path);
  } catch {
    // A read-only checkout parses every time.
  }
}

function removeOtherBuilds(current: string): void {
  for (const name of readdirSync(dirname(current)))
    if (name.startsWith('yaml-') && name !== basename(current))
      rmSync(join(dirname(current), name), { recursive: true, force: true });
}
