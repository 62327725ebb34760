#!/usr/bin/env node
// Runs the bundled CLI; `npm ci` builds it through the `prepare` script.
import { start } from '../dist/bundle/start.js';

await start();
