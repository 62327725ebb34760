import { isSandboxed } from './sandbox-session.js';

/** The site a confirmation is about, so that a person never says yes to the wrong one: its name, real or simulated, and how it is reached. */
export function describeSite(vars: Readonly<Record<string, unknown>>): string {
  const text = (key: string) => (typeof vars[key] === 'string' && vars[key] !== '' ? (vars[key] as string) : undefined);
  const name = `site ${text('site') ?? 'local'}`;
  if (isSandboxed(vars)) return `${name} (simulated, on this machine)`;
  const reached = [
    text('kubeconfig')
      ? `cluster of ${text('kubeconfig')}${text('kube_context') ? `, context ${text('kube_context')}` : ''}`
      : undefined,
    text('openstack_cloud') ? `cloud ${text('openstack_cloud')}` : undefined,
    text('terraform_dir') ? `terraform in ${text('terraform_dir')}` : undefined,
  ].filter(Boolean);
  return `${name} (${vars['site_simulated'] === true ? 'simulated' : 'real'}${reached.length ? `: ${reached.join('; ')}` : ''})`;
}
