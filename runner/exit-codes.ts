/** Exit codes are part of the CLI contract: scripts and CI branch on them. */
export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  checkFoundChanges: 2,
  invalidInput: 3,
  refused: 4,
  /** The runner could not write its own files (state folder, journal, lock): a permission, a full disk, a file in the way. */
  cannotWrite: 5,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
