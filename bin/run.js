#!/usr/bin/env node
// Runs the bundled CLI (built by `npm ci` through the `prepare` script) from V8's code cache when it has one.
// CommonJS (bin/package.json), as starting node's ES module loader for this one file cost ~5 ms a run.
const { join } = require('node:path');
const { loadCodeCachedModule } = require('../dist/bundle/code-cached-module.cjs');

const root = join(__dirname, '..');
const cacheDir = join(root, 'node_modules/.cache/jhub-runner');
const bundle = loadCodeCachedModule(join(root, 'dist/bundle/start.cjs'), join(cacheDir, 'code'));
bundle.exports.start({ cacheDir, buildId: bundle.hash }).then(() => bundle.saveCache());
