import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { helmReleasePlugin } from '../../../runner/plugins/helm-release.js';
import { redactSecretValues } from '../../../runner/plugins/kube/secret-values.js';

const live = {
  hub: {
    cookieSecret: 'live-cookie-0123456789abcdef',
    config: { GitHubOAuthenticator: { client_id: 'visible-id', client_secret: 'live-oauth-secret' } },
    db: { password: 'live-db-password' },
    existingSecret: 'hub-secret-name',
  },
  proxy: {
    secretToken: 'live-token-fedcba9876543210',
    https: { manual: { key: '-----BEGIN PRIVATE KEY-----x', cert: 'CERT' } },
  },
  singleuser: { memory: { limit: '2G' } },
};

describe("a values diff never shows the chart's secrets", () => {
  it('says only whether each one changes, on both sides, and leaves the rest as it is', () => {
    const desired = structuredClone(live);
    desired.hub.cookieSecret = 'new-cookie-from-secrets-yaml';
    desired.singleuser.memory.limit = '4G';
    const { before, after } = redactSecretValues(live, desired);
    const text = stringify(before) + stringify(after);
    for (const secret of [
      'live-cookie',
      'new-cookie',
      'live-token',
      'live-oauth-secret',
      'live-db-password',
      'PRIVATE KEY',
    ])
      expect(text).not.toContain(secret);
    expect(after).toMatchObject({
      hub: {
        cookieSecret: '(secret, changed)',
        config: { GitHubOAuthenticator: { client_id: 'visible-id', client_secret: '(secret)' } },
        existingSecret: 'hub-secret-name',
      },
      proxy: { secretToken: '(secret)', https: { manual: { key: '(secret)', cert: 'CERT' } } },
      singleuser: { memory: { limit: '4G' } },
    });
    expect(before).toMatchObject({ hub: { cookieSecret: '(secret)' } });
  });

  it('in helm.release, when the secrets file is missing and the live release holds the tokens (--check)', () => {
    const plan = helmReleasePlugin.plan(
      { release: 'jhub', chart: 'jupyterhub/jupyterhub', namespace: 'jhub', values_files: ['config.yaml'] },
      {
        deployed: {
          name: 'jhub',
          namespace: 'jhub',
          revision: '3',
          status: 'deployed',
          chart: 'jupyterhub-4.2.0',
          app_version: '5.2.1',
          updated: '',
        },
        values: live,
        files: ['singleuser:\n  memory:\n    limit: 2G\n'],
      } as never,
    );
    const shown = JSON.stringify(plan.diffs);
    expect(shown).not.toContain('live-cookie');
    expect(shown).not.toContain('live-token');
    expect(shown).toContain('(secret)');
  });
});
