import { Type } from '@sinclair/typebox';
import { namespaceName, objectName } from '../input/kube-names.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanRefusal } from '../plugin-contract/plan-error.js';
import { kindNotServed } from './kube/kind-not-served.js';
import { parseKubectlJson } from './kube/kubectl-json.js';
import { unreachableCluster } from './kube/unreachable-cluster.js';
import { kubectlHead } from './tools/kubectl-head.js';

const defaultSecretName = 'cert-secret';

const schema = Type.Object(
  {
    namespace: namespaceName('The namespace of the hub.'),
    secret_name: Type.Optional(
      objectName('The TLS Secret the ingress serves (cert-secret unless the site sets https_secret_name).'),
    ),
    https: Type.Optional(
      Type.Object(
        { mode: Type.Optional(Type.String({ description: 'letsencrypt or custom.' })) },
        {
          additionalProperties: true,
          description: "The site's HTTPS settings; absent where the site has none.",
        },
      ),
    ),
    replaces_cluster: Type.Optional(
      Type.Boolean({
        description:
          'The run replaces the cluster (a rebuild), so HTTPS in place is lost unless the site says how to set it up again (default false).',
      }),
    ),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

type Mode = 'letsencrypt' | 'custom';

type HttpsFacts =
  | { unreachable: string }
  | {
      /** A cert-manager Certificate for the Secret: Let's Encrypt issues it. */
      certificate: { dnsNames: string[] } | undefined;
      /** The Secret's type, read without its data. */
      secretType: string | undefined;
    };

function modeInPlace(facts: Exclude<HttpsFacts, { unreachable: string }>): Mode | undefined {
  if (facts.certificate) return 'letsencrypt';
  return facts.secretType === 'kubernetes.io/tls' ? 'custom' : undefined;
}

function whatServes(mode: Mode, args: { namespace: string; secret_name?: string }): string {
  const name = args.secret_name ?? defaultSecretName;
  return mode === 'letsencrypt'
    ? `cert-manager's Certificate ${name} in ${args.namespace}`
    : `the TLS Secret ${name} in ${args.namespace}, made from the site's own files`;
}

/**
 * Before a reinstall or a rebuild sets HTTPS up again from the site's settings: a mode set up with
 * `-e` (or by hand) that the inventory does not say would be switched back without a word.
 */
export const kubectlCheckHttpsModePlugin = definePlugin({
  name: 'kubectl.check_https_mode',
  summary:
    "Refuse when the HTTPS the hub serves now (Let's Encrypt or the site's own certificate) is not what the site's settings say, before a redeploy would switch it.",
  schema,
  reads: ['cluster'],
  changes: [],
  heads: [kubectlHead],
  varDefaults: { https_secret_name: defaultSecretName },
  argsFromVars: { https: 'https', secret_name: 'https_secret_name' },
  async probe(args, io): Promise<HttpsFacts> {
    const kubectl = kubectlHead.argv(args);
    const name = args.secret_name ?? defaultSecretName;
    const secretArgv = [
      ...kubectl,
      'get',
      'secret',
      name,
      '--namespace',
      args.namespace,
      '--ignore-not-found',
      '--output',
      'jsonpath={.type}',
    ];
    const certificateArgv = [
      ...kubectl,
      'get',
      'certificates.cert-manager.io',
      name,
      '--namespace',
      args.namespace,
      '--ignore-not-found',
      '--output',
      'json',
    ];
    // One call first: a cluster already gone (a rebuild from a kept backup) serves nothing a redeploy could switch,
    // and kubectl's discovery of the Certificate kind would retry against it for most of a minute.
    const secret = await io.run(secretArgv);
    const unreachable = secret.exitCode !== 0 ? unreachableCluster(secret.stderr) : undefined;
    if (unreachable) return { unreachable };
    if (secret.exitCode !== 0) parseKubectlJson(secretArgv, secret);
    const certificate = await io.run(certificateArgv);
    const found = kindNotServed(certificate) ? undefined : parseKubectlJson(certificateArgv, certificate);
    return {
      certificate: found ? { dnsNames: ((found.spec?.dnsNames ?? []) as unknown[]).map(String) } : undefined,
      secretType: secret.stdout.trim() || undefined,
    };
  },
  plan(args, facts): StepPlan {
    const wanted = args.https?.mode;
    const says = wanted ? `https.mode ${wanted}` : 'no https settings';
    if (!facts)
      return {
        change: 'none',
        reason: `check at run time that the hub's HTTPS is what the site says (${says})`,
        actions: [],
      };
    if ('unreachable' in facts)
      return {
        change: 'none',
        reason: `no cluster answers (${facts.unreachable}): no HTTPS in place to compare with the site's (${says})`,
        actions: [],
      };
    const inPlace = modeInPlace(facts);
    if (!inPlace) return { change: 'none', reason: `the hub serves no HTTPS yet; the site has ${says}`, actions: [] };
    if (inPlace === wanted)
      return { change: 'none', reason: `the hub serves HTTPS with ${inPlace}, as the site says`, actions: [] };
    if (!wanted && !args.replaces_cluster)
      return {
        change: 'none',
        reason: `the hub serves HTTPS with ${inPlace}; the site has no https settings, and ${whatServes(inPlace, args)} stays`,
        actions: [],
      };
    const domain = facts.certificate?.dnsNames[0];
    const settings =
      inPlace === 'letsencrypt'
        ? `https: {mode: letsencrypt, domain: ${domain ?? '<the hub’s DNS name>'}, email: <your address>}`
        : 'https: {mode: custom, domain: <the hub’s DNS name>, cert_file: <certificate>, key_file: <key>}';
    const fix = wanted
      ? `Set https.mode: ${inPlace} in the site's inventory to keep it, or switch first with playbooks/enable-https.yml`
      : `Add ${settings} to the site's inventory, so the redeploy sets it up again`;
    throw new PlanRefusal(
      `the hub serves HTTPS with ${inPlace} (${whatServes(inPlace, args)}), but the site has ${says}: this run would ${wanted ? `switch it to ${wanted}` : 'leave the new cluster without a certificate'}, probably undoing an earlier -e. ${fix}. Nothing was changed`,
    );
  },
});
