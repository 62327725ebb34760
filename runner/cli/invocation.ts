import { basename, relative } from 'node:path';

/** The command the user typed to start the runner, as a suggested command must repeat it: `npx run`, `node bin/run.js`, or the bin's name. */
export function invocation(env: NodeJS.ProcessEnv, argv: readonly string[]): string {
  const script = argv[1] ?? 'run';
  const name = basename(script).replace(/\.js$/, '');
  // npx names the bin it ran; a runner started by anything else under npx (a test runner) was not started so.
  const viaNpx =
    env['npm_lifecycle_event'] === 'npx'
      ? env['npm_lifecycle_script']
          ?.trim()
          .split(/\s+/)[0]
          ?.replace(/^'(.*)'$/, '$1')
      : undefined;
  if (viaNpx && (viaNpx === name || viaNpx === 'jhub-run' || viaNpx === 'run')) return `npx ${viaNpx}`;
  if (!script.endsWith('.js')) return name;
  const path = relative(process.cwd(), script);
  return `node ${path.startsWith('..') ? script : path}`;
}
