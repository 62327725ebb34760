import type { DisplayAction } from '../events/run-event.js';
import type { Action } from '../plugin-contract/contract.js';

/** What the user is shown of an action: never stdin or file contents, which may hold secrets. */
export function displayAction(action: Action): DisplayAction {
  if (action.kind === 'exec') {
    return {
      kind: 'exec',
      argv: action.argv,
      ...(action.cwd ? { cwd: action.cwd } : {}),
      ...(action.input !== undefined ? { stdinBytes: Buffer.byteLength(action.input) } : {}),
    };
  }
  return {
    kind: 'write',
    path: action.path,
    bytes: Buffer.byteLength(action.content),
    ...(action.mode !== undefined ? { mode: `0${action.mode.toString(8)}` } : {}),
  };
}
