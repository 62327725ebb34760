import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { childGroups, type RunningTool } from '../exec/child-groups.js';
import { processAlive, processStartTime } from '../exec/process-identity.js';
import { writeFileAtomicSync } from '../exec/atomic-write.js';

interface RecordedTool extends RunningTool {
  startTime?: string;
}

const recordFile = (stateDir: string) => join(stateDir, 'tools.json');

/**
 * Keeps `state_dir/tools.json` naming the tools this run has running. Each runs in a process group
 * of its own, so a runner killed outright leaves its tool running (a terraform apply finishes its
 * write); the next run on the site waits for it instead of racing it.
 */
export function recordTools(stateDir: string): () => void {
  const write = (running: readonly RunningTool[]) => {
    if (running.length === 0) return rmSync(recordFile(stateDir), { force: true });
    const tools: RecordedTool[] = running.map((tool) => ({
      ...tool,
      ...(processStartTime(tool.pid) ? { startTime: processStartTime(tool.pid)! } : {}),
    }));
    // A running tool dies with the machine, so the record need only survive the runner: no fsync per spawn.
    writeFileAtomicSync(recordFile(stateDir), `${JSON.stringify(tools)}\n`, 0o644, { durable: false });
  };
  const unsubscribe = childGroups.subscribe(write);
  return () => {
    unsubscribe();
    rmSync(recordFile(stateDir), { force: true });
  };
}

function recorded(stateDir: string): RecordedTool[] {
  try {
    return JSON.parse(readFileSync(recordFile(stateDir), 'utf8')) as RecordedTool[];
  } catch {
    return [];
  }
}

/** Waits until every tool a killed run left running has ended, saying which; Ctrl-C stops the wait. */
export async function waitForOrphans(
  stateDir: string,
  say: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  let left = recorded(stateDir).filter((tool) => processAlive(tool.pid, tool.startTime));
  if (left.length === 0) return rmSync(recordFile(stateDir), { force: true });
  say(
    `waiting for ${left.map((tool) => `${tool.argv0} (pid ${tool.pid})`).join(', ')}, started by an earlier run that was killed, to end before this run goes on`,
  );
  while (left.length > 0) {
    signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = left.filter((tool) => processAlive(tool.pid, tool.startTime));
  }
  rmSync(recordFile(stateDir), { force: true });
}
