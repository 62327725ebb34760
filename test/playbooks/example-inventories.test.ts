import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const playbooks = readdirSync(`${root}/playbooks`).filter((name) => name.endsWith('.yml') && name !== 'prepare-pv-restore.yml');
const siteKeys = (site: string) => Object.keys(parse(readFileSync(`${root}/inventory/${site}/site.yml`, 'utf8')));

describe('inventory/example-jetstream', () => {
  it.each(playbooks)('gives %s every variable it reads: a dry run plans it whole and spawns nothing', async (name) => {
    const run = await runApp([`${root}/playbooks/${name}`, '-i', `${root}/inventory/example-jetstream`, '--dry-run']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.runner.calls).toEqual([]);
    expect(run.stdout).toContain('Site jetstream (real site)');
  });

  it('documents every variable the sandbox site sets', () => {
    const documented = new Set(siteKeys('example-jetstream'));
    expect(siteKeys('sandbox').filter((key) => key !== 'sandbox' && !documented.has(key))).toEqual([]);
  });
});
