#!/usr/bin/env node
// The simulated cloud's Kubespray (cluster.yml, scale.yml); the sandbox puts it on PATH.
import { kubesprayCli } from '../dist/sandbox/cloud/kubespray-cli.js';

process.exitCode = await kubesprayCli(process.argv.slice(2));
