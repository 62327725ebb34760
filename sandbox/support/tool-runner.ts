/** How the simulator starts the real tools it needs (helm, to publish its charts): whatever runs an argv and answers with its exit code and output. */
export interface ToolRunner {
  run(
    request: { argv: string[]; cwd?: string; env?: Record<string, string>; input?: string },
    signal?: AbortSignal,
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}
