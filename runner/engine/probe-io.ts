import type { ProcessRunner } from '../exec/exec-result.js';
import { ProbeUnavailable, type ProbeIO } from '../plugin-contract/contract.js';
import type { ScratchDir } from './scratch-dir.js';
import type { FileView } from './file-view.js';
import { renderText } from '../template/render.js';

export { ProbeUnavailable };

export function createProbeIO(
  files: FileView,
  runner: ProcessRunner | undefined,
  scope: Record<string, unknown>,
  signal?: AbortSignal,
  scratch?: ScratchDir,
): ProbeIO {
  return {
    scratchPath(name) {
      if (!runner || !scratch) throw new ProbeUnavailable();
      return scratch.path(name);
    },
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
