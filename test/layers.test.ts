import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runner = fileURLToPath(new URL('../runner', import.meta.url));
const sandbox = fileURLToPath(new URL('../sandbox', import.meta.url));

/**
 * The runner's folders from the top down: a module may import from its own folder and from any folder
 * below it, never from one above, so each layer can be read, tested and replaced without what sits on it.
 */
const layers = [
  ['cli', 'boot'],
  ['app'],
  ['ui'],
  ['engine'],
  ['events'],
  ['load'],
  // The plugins and the schema both stand on the plugin contract; the schema is handed the plugin list.
  ['plugins'],
  ['schema'],
  ['plugin-contract'],
  ['vars'],
  ['template'],
  ['input'],
  ['exec'],
  ['.'],
  // The simulated site (top-level sandbox/): a package of its own that the runner starts, importing nothing of the runner.
  ['../sandbox'],
];

const rank = (folder: string) => layers.findIndex((layer) => layer.includes(folder));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** A path's layer: its folder under runner/, `.` for runner/ itself, `../sandbox` for the simulator, else where it is. */
function folderOf(path: string): string {
  if (!relative(sandbox, path).startsWith('..')) return '../sandbox';
  const parts = relative(runner, path).split('/');
  return parts.length > 1 ? parts[0]! : '.';
}

/** Every relative import of these sources, static, dynamic and re-export, as folder → folder. */
function imports(dir = runner): { from: string; to: string; file: string; target: string }[] {
  return sources(dir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) => {
      const target = normalize(join(dirname(file), match[1]!));
      return {
        from: folderOf(file),
        to: folderOf(target),
        file: relative(runner, file),
        target: relative(runner, target),
      };
    }),
  );
}

describe("the runner's layers", () => {
  it('name every folder of runner/', () => {
    const folders = readdirSync(runner, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => rank(folder) < 0)).toEqual([]);
  });

  it('keep the simulator apart: sandbox/ imports nothing from outside itself', () => {
    expect(
      imports(sandbox)
        .filter((edge) => edge.to !== '../sandbox')
        .map((edge) => `${edge.file} → ${edge.target}`),
    ).toEqual([]);
  });

  it("keep the simulator's own parts below its site: kube/ and cloud/ import nothing from site/", () => {
    const below = sources(sandbox).filter((file) => /\/sandbox\/(kube|cloud)\//.test(file));
    const upward = below.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)]
        .map((match) => relative(sandbox, normalize(join(dirname(file), match[1]!))))
        .filter((target) => target.startsWith('site/'))
        .map((target) => `${relative(sandbox, file)} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('reach the simulator through its front door alone: sandbox/index.ts', () => {
    expect(
      imports()
        .filter((edge) => edge.to === '../sandbox' && edge.target !== '../sandbox/index.js')
        .map((edge) => `${edge.file} → ${edge.target}`),
    ).toEqual([]);
  });

  it('import only downward: no module imports from a folder above its own', () => {
    const upward = imports()
      .filter((edge) => rank(edge.to) < rank(edge.from))
      .map((edge) => `${edge.file} → ${edge.target}`);
    expect(upward).toEqual([]);
  });
});
