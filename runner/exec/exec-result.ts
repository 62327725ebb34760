export interface ExecRequest {
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Written to the child's stdin; how secrets such as TLS keys reach a tool without touching argv. */
  input?: string;
  /** Told each line the tool prints, on stdout or stderr, as it prints it: the live view of a long tool. */
  onLine?: (line: string) => void;
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
