#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` builds it through the `prepare` script.
import { start } from '../dist/cli/start.js';

await start();
