import type { ProcessRunner } from '../exec/exec-result.js';
import type { ProbeIO } from '../plugins/contract.js';
import type { FileView } from './file-view.js';
import { renderText } from '../template/render.js';

/** Thrown inside a probe when commands may not run (a dry run); the engine then plans without facts. */
export class ProbeUnavailable extends Error {
  constructor() {
    super('probes do not run in a dry run');
    this.name = 'ProbeUnavailable';
  }
}

export function createProbeIO(files: FileView, runner: ProcessRunner | undefined, scope: Record<string, unknown>, signal?: AbortSignal): ProbeIO {
  return {
    render: (template, extra) => renderText(template, extra ? { ...scope, ...extra } : scope),
    fileMode: (path) => files.mode(path),
    async run(argv, options = {}) {
      if (!runner) throw new ProbeUnavailable();
      return runner.run({ argv, ...options }, signal);
    },
    readFile: (path) => files.read(path),
    exists: (path) => files.exists(path),
  };
}
