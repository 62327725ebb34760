import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { InputError } from '../input/input-error.js';
import { SecretMasker } from '../vars/secret-masker.js';
import type { AppIO } from './app-io.js';
import { isSandboxed } from './sandbox-session.js';
import { siteForCommand, underSiteLock } from './site-command.js';
import { withSiteTools } from './site-view.js';

/**
 * `run sandbox -- kubectl get pvc -A`: the simulated site lives only while a run does, so between
 * runs one command (kubectl, helm, openstack, terraform) is run against it, with the site's own
 * kubeconfig, clouds.yaml and tools, under the site lock so no run starts the site beside it.
 */
export async function sandboxCommand(
  invocation: { argv: string[]; inventories: string[] },
  io: AppIO,
): Promise<ExitCodeValue | number> {
  const masker = new SecretMasker();
  const site = await siteForCommand(invocation.inventories, masker, io, (loaded) => {
    if (!isSandboxed(loaded.vars))
      throw new InputError({
        message: `run sandbox: ${loaded.dir} is a real site (it has no sandbox: settings); run its tools directly, with its own kubeconfig and clouds.yaml`,
      });
  });
  if (typeof site === 'number') return site;
  return underSiteLock(site, `sandbox ${invocation.argv[0]}`, io, async () => {
    // The openstack client names the site's cloud as the playbooks do (openstack_cloud).
    const cloud = site.vars['openstack_cloud'];
    const env = typeof cloud === 'string' ? { OS_CLOUD: cloud } : undefined;
    const result = await withSiteTools(site, io, (runner) =>
      runner.run({ argv: invocation.argv, ...(env ? { env } : {}) }, io.signal),
    );
    if ('notStarted' in result) {
      io.stderr.write(`${masker.mask(result.notStarted)}\n`);
      return ExitCode.stepFailed;
    }
    const ended = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
    io.stdout.write(ended(masker.mask(result.stdout)));
    io.stderr.write(ended(masker.mask(result.stderr)));
    return result.exitCode;
  });
}
