import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { siteChecks, type CheckResult } from './doctor-checks.js';
import { siteForCommand } from './site-command.js';
import { describeSite } from './site-description.js';
import { withSiteTools } from './site-view.js';

/** `run doctor -i <site>`: what a site needs before its first real run, each missing piece with how to fix it. */
export async function doctor(invocation: { inventories: string[] }, io: AppIO): Promise<ExitCodeValue> {
  const masker = new SecretMasker();
  const site = await siteForCommand(invocation.inventories, masker, io);
  if (typeof site === 'number') return site;
  io.stdout.write(`Checking ${describeSite(site.vars)}\n`);
  const results = await withSiteTools(site, io, (runner) =>
    siteChecks({ run: (request) => runner.run(request, io.signal) }, site.vars),
  );
  if ('notStarted' in results) {
    io.stderr.write(`${masker.mask(results.notStarted)}\n`);
    return ExitCode.stepFailed;
  }
  const width = Math.max(...results.map((result) => result.name.length));
  for (const result of results) io.stdout.write(masker.mask(line(result, width)));
  const failed = results.filter((result) => !result.ok).length;
  io.stdout.write(
    failed === 0
      ? `all ${results.length} checks passed\n`
      : `${failed} of ${results.length} checks failed: fix them before the first run on this site\n`,
  );
  return failed === 0 ? ExitCode.ok : ExitCode.stepFailed;
}

function line(result: CheckResult, width: number): string {
  const head = `  ${result.ok ? 'ok  ' : 'FAIL'}  ${result.name.padEnd(width)}  ${result.found}\n`;
  return result.fix ? `${head}  ${' '.repeat(width + 8)}fix: ${result.fix}\n` : head;
}
