/** A sandbox setting this machine cannot honour: an input error, reported before anything runs. */
export class SandboxSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxSetupError';
  }
}
