// @ts-check
// `npm run docs`: rewrites each plugin's block in the README from its schema, as `run doc` reads it, so the
// README's argument tables never say other than the plugin does (test/readme-plugins.test.ts checks them).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { withFreshBlocks } = await import(`${root}dist/runner/app/plugin-doc.js`);
const path = `${root}README.md`;
const before = readFileSync(path, 'utf8');
const after = withFreshBlocks(before);
if (after !== before) writeFileSync(path, after);
console.log(
  after === before ? 'README.md: the plugin blocks were already current' : 'README.md: plugin blocks rewritten',
);
