#!/usr/bin/env node
// The simulated cloud's API, for tests; the sandbox's terraform provisioners call the same function through its shim in .state/bin.
import { simCloudCli } from '../../dist/sandbox/cloud/sim-cloud-cli.js';

process.exitCode = await simCloudCli(process.argv.slice(2));
