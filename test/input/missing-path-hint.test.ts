import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingPathHint } from '../../runner/input/missing-path-hint.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('missingPathHint', () => {
  it('names the closest file beside a mistyped one, and where a relative path was looked for', async () => {
    const cwd = await tempDir({ 'playbooks/deploy-jhub.yml': '', 'playbooks/rebuild-cluster.yml': '' });
    expect(missingPathHint('playbooks/deploy-jhb.yml', cwd)).toBe(
      `did you mean 'playbooks/deploy-jhub.yml'?; looked for ${cwd}/playbooks/deploy-jhb.yml, relative to the current folder`,
    );
  });

  it('names the closest folder, and nothing about the current folder for an absolute path', async () => {
    const cwd = await tempDir();
    mkdirSync(`${cwd}/inventory/example`, { recursive: true });
    mkdirSync(`${cwd}/inventory/example-jetstream`, { recursive: true });
    expect(missingPathHint(`${cwd}/inventory/examples`, '/')).toBe(`did you mean '${cwd}/inventory/example'?`);
  });

  it('says only where it looked when nothing is close, or the folder is missing too', async () => {
    const cwd = await tempDir();
    writeFileSync(`${cwd}/ssl.pem`, '');
    expect(missingPathHint('ssl.crt', cwd)).toBe(`looked for ${cwd}/ssl.crt, relative to the current folder`);
    expect(missingPathHint('nowhere/ssl.crt', cwd)).toBe(
      `looked for ${cwd}/nowhere/ssl.crt, relative to the current folder`,
    );
  });
});
