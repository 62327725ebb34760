#!/usr/bin/env node
// The stand-in terraform, for tests and by hand (force-unlock); the sandbox writes its own shim in .state/bin that runs the same function.
import { terraformCli } from '../../dist/sandbox/cloud/terraform-cli.js';

process.exitCode = await terraformCli(process.argv.slice(2));
