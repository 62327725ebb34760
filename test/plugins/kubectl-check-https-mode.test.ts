import { describe, expect, it } from 'vitest';
import { kubectlCheckHttpsModePlugin } from '../../runner/plugins/kubectl-check-https-mode.js';

const base = { namespace: 'jhub', secret_name: 'cert-secret' };
const letsencrypt = { certificate: { dnsNames: ['hub.example.org'] }, secretType: 'kubernetes.io/tls' };
const custom = { certificate: undefined, secretType: 'kubernetes.io/tls' };
const nothing = { certificate: undefined, secretType: undefined };
const plan = (args: object, facts: object | undefined) =>
  kubectlCheckHttpsModePlugin.plan({ ...base, ...args } as never, facts as never);

describe('kubectl.check_https_mode', () => {
  it('passes when the mode in place is what the site says, or nothing is in place yet', () => {
    expect(plan({ https: { mode: 'letsencrypt' } }, letsencrypt)).toMatchObject({
      change: 'none',
      reason: 'the hub serves HTTPS with letsencrypt, as the site says',
    });
    expect(plan({ https: { mode: 'custom' } }, custom).change).toBe('none');
    expect(plan({ https: { mode: 'custom' } }, nothing).change).toBe('none');
    expect(plan({}, nothing).change).toBe('none');
  });

  it('refuses to switch a mode set up with -e back to the inventory’s, naming both and the fix', () => {
    expect(() => plan({ https: { mode: 'letsencrypt' } }, custom)).toThrow(
      /serves HTTPS with custom \(the TLS Secret cert-secret in jhub, made from the site's own files\), but the site has https.mode letsencrypt: this run would switch it to letsencrypt.*Set https.mode: custom in the site's inventory/,
    );
    expect(() => plan({ https: { mode: 'custom' } }, letsencrypt)).toThrow(/switch it to custom/);
  });

  it('on a rebuild, refuses when the site has no https settings at all, giving the settings to add', () => {
    expect(() => plan({ replaces_cluster: true }, letsencrypt)).toThrow(
      /leave the new cluster without a certificate.*Add https: \{mode: letsencrypt, domain: hub.example.org/,
    );
    // A reinstall leaves the Certificate and its Secret in the namespace.
    expect(plan({}, letsencrypt)).toMatchObject({ change: 'none', reason: expect.stringContaining('stays') });
  });

  it('passes a cluster that no longer answers, and says at run time in a preview', () => {
    expect(plan({ https: { mode: 'custom' } }, { unreachable: 'connection refused' }).change).toBe('none');
    expect(plan({ https: { mode: 'custom' } }, undefined).reason).toContain('at run time');
  });
});
