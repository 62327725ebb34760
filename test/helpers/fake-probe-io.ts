import type { ProbeIO } from '../../runner/plugin-contract/contract.js';
import { renderText } from '../../runner/template/render.js';

/** A ProbeIO over an in-memory file map; commands answer from `run` or are refused. */
export function fakeProbeIO(
  options: {
    files?: Record<string, string>;
    modes?: Record<string, number>;
    vars?: Record<string, unknown>;
    run?: ProbeIO['run'];
  } = {},
): ProbeIO {
  const files = options.files ?? {};
  return {
    run:
      options.run ??
      (async () => {
        throw new Error('this probe must not spawn');
      }),
    scratchPath: (name) => `/scratch/${name}`,
    readFile: async (path) => files[path],
    exists: async (path) => path in files,
    fileMode: async (path) => (path in files ? (options.modes?.[path] ?? 0o644) : undefined),
    render: (template, extra) => renderText(template, { ...options.vars, ...extra }),
  };
}
