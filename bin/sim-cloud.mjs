#!/usr/bin/env node
// The simulated cloud's API, as the sandbox's terraform provisioners call it.
import { simCloudCli } from '../dist/sandbox/cloud/sim-cloud-cli.js';

process.exitCode = await simCloudCli(process.argv.slice(2));
