// The simulator's one front door: the runner imports this file and nothing else of sandbox/.
export { sandboxSchema, type RawSandbox } from './site/sandbox-schema.js';
export { sandboxConfig, sandboxPort, defaultSeedUsers, type SandboxConfig } from './site/sandbox-config.js';

/** The running site, loaded when a run starts one: a dry run, which starts none, never loads it. */
export const loadRunningSite = () => import('./site/running-site.js');
