/**
 * Values the jupyterhub chart stopped accepting, with where they went: the chart's own
 * `templates/NOTES.txt` (2.0.0) and `_helpers-auth-rework.tpl` (0.11.0, the `auth` section) fail a
 * render that still holds them; this table says so before anything runs, with the new name.
 */
export interface RenamedValue {
  chart: string;
  /** The first chart version that refuses the old key. */
  since: string;
  from: string;
  to: string;
}

const authRework = (from: string, to: string): RenamedValue => ({
  chart: 'jupyterhub',
  since: '0.11.0',
  from: `auth.${from}`,
  to: `hub.config.${to}`,
});

export const renamedValues: readonly RenamedValue[] = [
  { chart: 'jupyterhub', since: '2.0.0', from: 'hub.fsGid', to: 'hub.podSecurityContext.fsGroup' },
  {
    chart: 'jupyterhub',
    since: '2.0.0',
    from: 'rbac.enabled',
    to: 'rbac.create (and hub, proxy.traefik, scheduling.userScheduler, prePuller.hook .serviceAccount.create)',
  },
  {
    chart: 'jupyterhub',
    since: '1.0.0',
    from: 'singleuser.cloudMetadata.enabled',
    to: 'singleuser.cloudMetadata.blockWithIptables, with the opposite value',
  },
  authRework('type', 'JupyterHub.authenticator_class'),
  authRework('scopes', 'OAuthenticator.scope'),
  authRework('state.enabled', 'Authenticator.enable_auth_state'),
  authRework('state.cryptoKey', 'CryptKeeper.keys (a list)'),
  authRework('admin.access', 'JupyterHub.admin_access'),
  authRework('admin.users', 'Authenticator.admin_users'),
  authRework('whitelist.users', 'Authenticator.allowed_users'),
  authRework('allowedUsers', 'Authenticator.allowed_users'),
  authRework('github.clientId', 'GitHubOAuthenticator.client_id'),
  authRework('github.clientSecret', 'GitHubOAuthenticator.client_secret'),
  authRework('github.callbackUrl', 'GitHubOAuthenticator.oauth_callback_url'),
  authRework('github.orgWhitelist', 'GitHubOAuthenticator.allowed_organizations'),
  authRework('github.allowedOrganizations', 'GitHubOAuthenticator.allowed_organizations'),
  authRework('google.clientId', 'GoogleOAuthenticator.client_id'),
  authRework('google.clientSecret', 'GoogleOAuthenticator.client_secret'),
  authRework('google.callbackUrl', 'GoogleOAuthenticator.oauth_callback_url'),
  authRework('google.hostedDomain', 'GoogleOAuthenticator.hosted_domain'),
  authRework('cilogon.clientId', 'CILogonOAuthenticator.client_id'),
  authRework('cilogon.clientSecret', 'CILogonOAuthenticator.client_secret'),
  authRework('cilogon.callbackUrl', 'CILogonOAuthenticator.oauth_callback_url'),
  authRework('gitlab.clientId', 'GitLabOAuthenticator.client_id'),
  authRework('gitlab.clientSecret', 'GitLabOAuthenticator.client_secret'),
  authRework('gitlab.callbackUrl', 'GitLabOAuthenticator.oauth_callback_url'),
  authRework('gitlab.gitlabUrl', 'GitLabOAuthenticator.gitlab_url'),
  authRework('azuread.clientId', 'AzureAdOAuthenticator.client_id'),
  authRework('azuread.clientSecret', 'AzureAdOAuthenticator.client_secret'),
  authRework('azuread.tenantId', 'AzureAdOAuthenticator.tenant_id'),
  authRework('globus.clientId', 'GlobusOAuthenticator.client_id'),
  authRework('globus.clientSecret', 'GlobusOAuthenticator.client_secret'),
  authRework('dummy.password', 'DummyAuthenticator.password'),
  authRework('ldap.server.address', 'LDAPAuthenticator.server_address'),
  authRework('ldap.server.port', 'LDAPAuthenticator.server_port'),
  authRework('ldap.dn.templates', 'LDAPAuthenticator.bind_dn_template'),
];
