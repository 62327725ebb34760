// A running simulated site and what it reports after a run: the heavy part of the simulator (API
// server, controllers, cloud), loaded only when a run starts a site; the CLI bundles it apart.
export { startSandboxSite, SandboxSetupError } from './sandbox-site.js';
export { siteSummary, cloudWriteCount, floatingIp, userVolumes } from './site-summary.js';
export { twinReport } from './twin/twin-report.js';
