/** A tool the runner started, in a process group of its own, so the terminal's Ctrl-C reaches the runner alone. */
export interface RunningTool {
  pid: number;
  argv0: string;
}

type Listener = (running: readonly RunningTool[]) => void;

const running = new Map<number, RunningTool>();
const listeners = new Set<Listener>();

function changed(): void {
  const now = [...running.values()];
  for (const listener of listeners) listener(now);
}

/** The tools running now, and who wants to know when that changes (the run's record of them, for a later run to wait on). */
export const childGroups = {
  add(tool: RunningTool): void {
    running.set(tool.pid, tool);
    changed();
  },
  remove(pid: number): void {
    if (running.delete(pid)) changed();
  },
  list(): RunningTool[] {
    return [...running.values()];
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Signals every running tool's whole group (the tool and whatever it started). */
  signalAll(signal: NodeJS.Signals): void {
    for (const pid of running.keys()) signalGroup(pid, signal);
  },
};

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
