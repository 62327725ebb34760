import type { Static, TSchema } from '@sinclair/typebox';
import type { ExecResult } from '../exec/exec-result.js';

export interface ExecAction {
  kind: 'exec';
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Standard input for the tool; shown to the user only as a byte count. */
  input?: string;
  /** Exit codes besides 0 that mean success for this command. */
  okExitCodes?: number[];
}

export interface WriteAction {
  kind: 'write';
  path: string;
  content: string;
  /** The mode the step asked for, used as is. */
  mode?: number;
  /** Without a mode: what the file would otherwise get (the mode of the file it was made from); a file holding a secret gets 0600 instead. */
  baseMode?: number;
  /** Fail instead of replacing a file that exists by then (backups). */
  noClobber?: boolean;
}

export type Action = ExecAction | WriteAction;

/** How the world would differ after the step: `none` always carries a reason. */
export type ChangeKind = 'none' | 'create' | 'update' | 'delete' | 'run';

export interface FileDiff {
  path: string;
  before: string | undefined;
  after: string | undefined;
  /** A unified diff a tool already computed (kubectl diff); shown as it is instead of before/after. */
  patch?: string;
}

export interface StepPlan {
  change: ChangeKind;
  /** Why nothing needs doing, or a one-line summary of what will be done. */
  reason: string;
  actions: Action[];
  diffs?: FileDiff[];
  /** Facts worth registering for later steps, whether or not actions run. */
  data?: Record<string, unknown>;
  /** Values to mask everywhere from now on (generated tokens, keys read from files). */
  secrets?: string[];
  /** The awaited condition does not hold yet: probe and plan again after the interval, until the timeout. */
  poll?: PollRequest;
  /** Set when the actions destroy what users' data may depend on: the engine then asks for a backup and a confirmation. */
  destroys?: Destruction;
  /** What a person must see first about the step (pods it replaces, objects it deletes): shown before its diffs. */
  warnings?: string[];
  /** What the step does, item by item, in words (a volume and its claim per line); renderers cut long lists short. */
  details?: string[];
  /** A verified backup this step took or found: destructive steps on its namespace may then go ahead. */
  protects?: ProtectedBackup;
  /** A restore of the namespace's claims begins (the backup it comes from) or is proven complete. */
  restore?: RestoreMark;
  /** Its exec actions are independent of each other: at most this many run at a time (default 1, in order). */
  concurrency?: number;
  /** What the run leaves that the operator may need later (snapshots it made), in words: shown again in the recap. */
  keep?: string[];
  /** If the actions fail: the playbook (beside the run's) that goes back to how things were, and its variables; the recap prints the command. */
  wayBack?: WayBack;
}

export interface WayBack {
  playbook: string;
  vars: Record<string, string>;
  /** Where it goes back to, in words: "revision 3 of jhub". */
  to: string;
}

export interface ProtectedBackup {
  dir: string;
  namespace: string;
  /** The backup's files and their sha256 as taken: a destruction checks they still read back the same. */
  files?: { path: string; sha256: string }[];
}

export type RestoreMark =
  { namespace: string; state: 'pending'; backupDir: string } | { namespace: string; state: 'verified' };

/** What a step may do, known from its arguments alone, before anything runs. */
export interface StepEffects {
  /** It may destroy this (the engine asks for a backup and a confirmation before it does). */
  destroys?: Destruction;
  /** It installs or upgrades JupyterHub (a helm release) in this namespace. */
  deploysInto?: string;
  /** It opens or closes a pending restore of this namespace. */
  restore?: { namespace: string; state: 'pending' | 'verified' };
}

export interface Destruction {
  /** What goes, in words a person confirms: "release jhub in jhub", "6 terraform resources in tf". */
  what: string;
  /** The namespace whose volumes are at stake; absent when the whole cluster is (infrastructure, PVs). */
  namespace?: string;
  /** Several namespaces at stake at once (volumes bound to claims of each): a backup must cover every one. */
  namespaces?: string[];
  /** Cloud volumes no PV uses: refused while a restore is pending, when users' volumes have no PV yet either. */
  cloudVolumes?: boolean;
  /** How the step reaches the cluster at stake, where it says (kubectl and helm steps); else the inventory's. */
  cluster?: { kubectl?: string; kubeconfig?: string; context?: string };
}

export interface PollRequest {
  waitingFor: string;
  intervalSeconds: number;
  timeoutSeconds: number;
}

/**
 * Thrown by `run` (and `scratchPath`) where no command may run (a dry run). The engine then plans
 * without facts; a probe that can say something from files alone may catch it and return what it read.
 */
export class ProbeUnavailable extends Error {
  constructor() {
    super('probes do not run in a dry run');
    this.name = 'ProbeUnavailable';
  }
}

/** Read-only access to the world; in a dry run `run` is unavailable and the probe's facts are unknown. */
export interface ProbeIO {
  run(argv: string[], options?: { cwd?: string; env?: Record<string, string>; input?: string }): Promise<ExecResult>;
  /** A path in a private (0700) folder of this run, removed when the run ends: where a tool writes what a later action reads (a saved plan). */
  scratchPath(name: string): string;
  readFile(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  /** Permission bits of a file, or undefined when it does not exist. */
  fileMode(path: string): Promise<number | undefined>;
  /** Renders template text with the step's variables (plus `extra`); throws a TemplateError with its line. */
  render(template: string, extra?: Record<string, unknown>): string;
}

/** Where a step's facts come from and what its actions change: the cluster's API, the cloud, terraform's state, local files. */
export type World = 'cluster' | 'cloud' | 'terraform' | 'files';

export interface PluginDefinition<S extends TSchema = TSchema, F = unknown> {
  name: string;
  summary: string;
  schema: S;
  /** Sub-schemas with an `$id` that `schema` refers to with `Type.Ref`. */
  shared?: TSchema[];
  /** Variables this plugin reads when an argument is omitted: the lowest precedence level. */
  varDefaults?: Record<string, unknown>;
  argsFromVars?: Partial<Record<keyof Static<S> & string, string>>;
  /** Each key its plans' `data` may hold, with what it means: what `register:` gives besides the result's own keys. */
  registers?: Readonly<Record<string, string>>;
  /** When it may destroy what users' data depends on, in words: only a plugin that says so may plan a destruction. */
  destroys?: string;
  /**
   * What its facts come from. In a preview, a step after changes that were not applied is planned
   * anyway when none of them touched what it reads, so its refusals show (absent: it may read anything).
   */
  reads?: readonly World[];
  /** What its actions may change (absent: anything; a destroy changes the cluster its instances hosted, too). */
  changes?: readonly World[];
  /** It holds only while the world does (snapshots exist, volumes are in the cloud): a resumed run runs it again rather than trust its journal. */
  rechecksOnResume?: boolean;
  probe?: (args: Static<S>, io: ProbeIO) => Promise<F>;
  /** Pure: facts are `undefined` when they could not be observed, and the plan must then say everything it may do. */
  plan: (args: Static<S>, facts: F | undefined) => StepPlan;
  /** What the step may do, from its arguments alone: the run checks it before the first step. */
  effects?: (args: Static<S>) => StepEffects;
  /** After its action or wait failed, read-only: why, as the world says it (the objects that are not ready). */
  explainFailure?: (args: Static<S>, io: ProbeIO) => Promise<string[]>;
}

/** What a tool head (plugins/tools/) lends a plugin besides its schema arguments: the variables they default to, and theirs. */
export interface ToolHead {
  fromVars: Readonly<Record<string, string>>;
  varDefaults: Readonly<Record<string, unknown>>;
}

/**
 * A plugin, with the variable defaults of the tools it drives (`heads`) merged in, so each tool's
 * inventory variables are written once, in its head; the plugin's own entries come last and win.
 */
export function definePlugin<S extends TSchema, F>(
  definition: PluginDefinition<S, F> & { heads?: readonly ToolHead[] },
): PluginDefinition<S, F> {
  const { heads = [], ...plugin } = definition;
  if (heads.length === 0) return plugin;
  return {
    ...plugin,
    varDefaults: Object.assign({}, ...heads.map((head) => head.varDefaults), plugin.varDefaults),
    argsFromVars: Object.assign({}, ...heads.map((head) => head.fromVars), plugin.argsFromVars),
  };
}

/** A plugin seen from the engine, which only handles validated arguments as opaque values. */
export interface AnyPlugin {
  name: string;
  summary: string;
  schema: TSchema;
  shared?: TSchema[];
  varDefaults?: Record<string, unknown>;
  argsFromVars?: Record<string, string | undefined>;
  registers?: Readonly<Record<string, string>>;
  destroys?: string;
  reads?: readonly World[];
  changes?: readonly World[];
  rechecksOnResume?: boolean;
  probe?: (args: any, io: ProbeIO) => Promise<unknown>;
  plan: (args: any, facts: any) => StepPlan;
  effects?: (args: any) => StepEffects;
  explainFailure?: (args: any, io: ProbeIO) => Promise<string[]>;
}
