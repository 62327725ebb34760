import { Command, Option } from 'commander';
import type { RunOptions } from '../app/run-options.js';
import { collectList, collectRepeated } from './parse-list.js';
import { playbookList } from './playbook-list.js';

export type Invocation =
  | { command: 'run'; options: RunOptions }
  | { command: 'schema'; output?: string }
  | { command: 'doc'; plugin?: string }
  | { command: 'release-restore'; namespace: string; inventories: string[]; yes: boolean }
  | { command: 'doctor'; inventories: string[] }
  | { command: 'sandbox'; argv: string[]; inventories: string[] }
  | { command: 'snapshot'; inventories: string[]; out?: string; force: boolean };

const exitCodeHelp = `
Exit codes:
  0    success (under --check: nothing would change)
  1    a step failed
  2    --check found changes (or steps whose outcome is unknown until earlier changes are applied)
  3    invalid input: CLI usage, playbook, inventory or template; nothing ran
  4    refused: a safety guard, a lock or a missing confirmation
  130  interrupted (Ctrl-C / SIGTERM)

Variable precedence (later wins):
  plugin defaults < playbook vars < inventory (-i, in order) < -e

Without -i, every run is against the simulated site (inventory/sandbox), which runs on this
machine only; a real site is always named with -i inventory/<site>.

Examples:
  run playbooks/deploy-jhub.yml                 # on the simulated site
  run playbooks/deploy-jhub.yml -i inventory/my-site --dry-run
  run playbooks/deploy-jhub.yml -i inventory/my-site --check
  run playbooks/deploy-jhub.yml -i inventory/my-site -e chart_version=4.2.0
  run schema > playbook.schema.json`;

/** Parses argv into an invocation; it holds no logic beyond naming the options. */
export function buildProgram(onInvoke: (invocation: Invocation) => void): Command {
  const program = new Command('run')
    .description('Run a declarative YAML playbook of JupyterHub-on-Kubernetes operations against one site.')
    .argument('<playbook>', 'the playbook YAML file')
    .addOption(
      new Option(
        '-i, --inventory <path>',
        'site inventory: a YAML file or a directory of YAML files (repeatable; later wins)',
      )
        .argParser(collectRepeated)
        .default([], 'the simulated site, inventory/sandbox'),
    )
    .option(
      '-e, --extra-vars <key=value|@file.yml>',
      'override a variable: key=value (dotted keys set nested values), @file.yml, or a {json} map (repeatable)',
      collectRepeated,
    )
    .addOption(
      new Option(
        '--check',
        'run read-only probes only and report what would change (exit 2 when something would)',
      ).conflicts('dryRun'),
    )
    .addOption(
      new Option(
        '--dry-run',
        "run no process at all; print each step's exact argv (secrets masked) and file diffs",
      ).conflicts('check'),
    )
    .option(
      '-t, --tags <tags>',
      'run only steps with one of these tags (comma-separated, repeatable); tag "always" runs too',
      collectList,
    )
    .option('--skip-tags <tags>', 'skip steps with any of these tags (comma-separated, repeatable)', collectList)
    .option('--start-at <step name>', 'start at the step with this exact name')
    .option('--list-steps', 'list the steps (selected ones marked *) and exit')
    .option(
      '--yes',
      'confirm destructive steps (destroy, uninstall, delete of namespaces, claims, volumes) without a prompt',
    )
    .option(
      '--backup <dir>',
      "a verified backup folder (pvc.json and pv.json, or the seed's .yaml) that covers this run's destructive steps (repeatable)",
      collectRepeated,
    )
    .option(
      '--resume',
      'continue the newest unfinished run of this playbook: same run_id, backup folder, -i and -e; finished steps are not run again',
    )
    .option(
      '--override',
      'with --resume: put this -e on top of the one the run was started with, instead of refusing it',
    )
    .option('--json', 'print JSON lines, one event per line; the last line is the recap object')
    .option('--verbose', 'print every line the tools print, as they print it (plain lines, even in a terminal)')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .addOption(
      new Option(
        '--diff <detail>',
        'how diffs are printed: summary (long ones cut, lists item by item, the full text saved to a file the output names; no server bookkeeping) or full (every line)',
      )
        .choices(['summary', 'full'])
        .default('summary'),
    )
    .version('0.1.0', '-V, --version')
    .addHelpText('after', () => `${playbookList()}${exitCodeHelp}`)
    .showSuggestionAfterError(true)
    // `run release-restore jhub -i site`: the subcommand's -i is its own, not the playbook run's.
    .enablePositionalOptions()
    .exitOverride()
    .action((playbook: string, flags: Record<string, unknown>) => {
      onInvoke({
        command: 'run',
        options: {
          playbook,
          inventories: flags['inventory'] as string[],
          extraVars: (flags['extraVars'] as string[] | undefined) ?? [],
          mode: flags['dryRun'] ? 'dry-run' : flags['check'] ? 'check' : 'apply',
          tags: (flags['tags'] as string[] | undefined) ?? [],
          skipTags: (flags['skipTags'] as string[] | undefined) ?? [],
          ...(flags['startAt'] !== undefined ? { startAt: flags['startAt'] as string } : {}),
          listSteps: Boolean(flags['listSteps']),
          json: Boolean(flags['json']),
          color: flags['color'] !== false,
          yes: Boolean(flags['yes']),
          backups: (flags['backup'] as string[] | undefined) ?? [],
          resume: Boolean(flags['resume']),
          ...(flags['override'] ? { override: true } : {}),
          ...(flags['verbose'] ? { verbose: true } : {}),
          diff: flags['diff'] as 'summary' | 'full',
        },
      });
    });
  program
    .command('schema')
    .description('print the JSON Schema of playbooks, for editors to complete and check them')
    .option('-o, --output <file>', 'write the schema to this file instead of standard output')
    .exitOverride()
    .action((flags: { output?: string }) =>
      onInvoke({ command: 'schema', ...(flags.output ? { output: flags.output } : {}) }),
    );
  program
    .command('doc')
    .description("list the plugins a step can name, or show one plugin's arguments, from its schema (like ansible-doc)")
    .argument('[plugin]', 'a plugin name, such as helm.release')
    .exitOverride()
    .action((plugin: string | undefined) => onInvoke({ command: 'doc', ...(plugin ? { plugin } : {}) }));
  program
    .command('release-restore')
    .description(
      'forget the pending restore of a namespace (after its claims were restored and checked another way), so JupyterHub may be installed into it',
    )
    .argument('<namespace>', 'the namespace whose restore is pending')
    .option('-i, --inventory <path>', 'the site (default: the simulated site)', collectRepeated)
    .option('--yes', 'release it without asking')
    .exitOverride()
    .action((namespace: string, flags: { inventory?: string[]; yes?: boolean }) =>
      onInvoke({ command: 'release-restore', namespace, inventories: flags.inventory ?? [], yes: Boolean(flags.yes) }),
    );
  program
    .command('doctor')
    .description(
      "check what a site needs before its first real run: each tool and its version, the cluster's API, the cloud's credentials, terraform's folder, the chart repository",
    )
    .option('-i, --inventory <path>', 'the site (default: the simulated site)', collectRepeated)
    .exitOverride()
    .action((flags: { inventory?: string[] }) => onInvoke({ command: 'doctor', inventories: flags.inventory ?? [] }));
  program
    .command('sandbox')
    .description(
      'run one command against the simulated site between runs, with its kubeconfig, clouds.yaml and tools: run sandbox -- kubectl get pvc -A',
    )
    .argument('<command...>', 'the command and its arguments, after --')
    .option('-i, --inventory <path>', 'the site (default: the simulated site)', collectRepeated)
    .passThroughOptions()
    .exitOverride()
    .action((argv: string[], flags: { inventory?: string[] }) =>
      onInvoke({ command: 'sandbox', argv, inventories: flags.inventory ?? [] }),
    );
  program
    .command('snapshot')
    .description(
      "read a site, read-only, into a folder a sandbox can be seeded from (sandbox.from_snapshot): its nodes, classes, volumes and claims, the release and its values, terraform's state and the cloud's volumes, every secret left out",
    )
    .option('-i, --inventory <path>', 'the site (default: the simulated site)', collectRepeated)
    .option('-o, --out <dir>', 'the folder to write (default: snapshot-<site_name>-<time> here)')
    .option('--force', 'replace the folder if it exists')
    .exitOverride()
    .action((flags: { inventory?: string[]; out?: string; force?: boolean }) =>
      onInvoke({
        command: 'snapshot',
        inventories: flags.inventory ?? [],
        ...(flags.out ? { out: flags.out } : {}),
        force: Boolean(flags.force),
      }),
    );
  return program;
}
