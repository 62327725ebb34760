#!/usr/bin/env node
// The simulated cloud's terraform/tofu; the sandbox puts it on PATH under both names.
import { terraformCli } from '../dist/sandbox/cloud/terraform-cli.js';

process.exitCode = await terraformCli(process.argv.slice(2));
