export interface ExecRequest {
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the child's stdin; how secrets such as TLS keys reach a tool without touching argv. */
  input?: string;
  /** Told the lines the tool prints, on stdout or stderr, as it prints them (a chunk at a time): the live view of a long tool. */
  onLines?: (lines: string[]) => void;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The one seam through which the runner starts processes, so tests can count and refuse spawns. */
export interface ProcessRunner {
  run(request: ExecRequest, signal?: AbortSignal): Promise<ExecResult>;
}
