import { Type } from '@sinclair/typebox';
import { namespaceName, objectName } from '../input/kube-names.js';
import { kubectlHead } from './tools/kubectl-head.js';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { certificateSummary } from './kube/certificate-summary.js';

const schema = Type.Object(
  {
    name: objectName('Secret name (the seed: cert-secret).'),
    namespace: namespaceName('Namespace (the seed: jhub).'),
    cert: Type.String({ minLength: 1, description: 'Certificate file (PEM), such as ssl.crt.' }),
    key: Type.String({
      minLength: 1,
      description: 'Private key file (PEM), such as ssl.key; its content never appears in output.',
    }),
    ...kubectlHead.args,
  },
  { additionalProperties: false },
);

interface TlsFacts {
  cert: string | undefined;
  key: string | undefined;
  live: { type?: string; data?: Record<string, string> } | undefined;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The seed's `kubectl create secret tls NAME --cert --key -n NS`, created or renewed idempotently:
 * the same manifest `--dry-run=client -o yaml` prints, applied with the key on stdin.
 */
export const kubectlTlsSecretPlugin = definePlugin({
  name: 'kubectl.tls_secret',
  summary: 'Create or renew a kubernetes.io/tls Secret from certificate and key files; ok when the live one matches.',
  schema,
  heads: [kubectlHead],
  async probe(args, io): Promise<TlsFacts> {
    const kubectl = kubectlHead.argv(args);
    const result = await io.run([
      ...kubectl,
      'get',
      'secret',
      args.name,
      '--namespace',
      args.namespace,
      '--ignore-not-found',
      '--output',
      'json',
    ]);
    if (result.exitCode !== 0)
      throw new PlanError(`kubectl get secret failed: ${(result.stderr || result.stdout).trim()}`);
    return {
      cert: await io.readFile(args.cert),
      key: await io.readFile(args.key),
      live: result.stdout.trim() ? JSON.parse(result.stdout) : undefined,
    };
  },
  plan(args, facts): StepPlan {
    const kubectl = kubectlHead.argv(args);
    if (facts && facts.cert === undefined) throw new PlanError(`certificate file ${args.cert} does not exist`);
    if (facts && facts.key === undefined) throw new PlanError(`key file ${args.key} does not exist`);
    const manifest = (cert: string, key: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: args.name, namespace: args.namespace },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(cert), 'tls.key': b64(key) },
    });
    const apply = (input: string) => ({ kind: 'exec' as const, argv: [...kubectl, 'apply', '-f', '-'], input });
    if (!facts) {
      const unobserved = { kind: 'exec' as const, argv: [...kubectl, 'apply', '-f', '-'] };
      return {
        change: 'update',
        reason: `create or renew TLS secret ${args.namespace}/${args.name} from ${args.cert} and ${args.key} (manifest on stdin)`,
        actions: [unobserved],
      };
    }
    const desired = manifest(facts.cert!, facts.key!);
    const secrets = [facts.key!];
    const liveCert = facts.live?.data?.['tls.crt'];
    const same =
      facts.live?.type === 'kubernetes.io/tls' &&
      liveCert === desired.data['tls.crt'] &&
      facts.live?.data?.['tls.key'] === desired.data['tls.key'];
    if (same)
      return {
        change: 'none',
        reason: `${args.namespace}/${args.name} holds this certificate and key`,
        actions: [],
        secrets,
      };
    const before = liveCert ? certificateSummary(Buffer.from(liveCert, 'base64').toString('utf8')) : undefined;
    return {
      change: facts.live ? 'update' : 'create',
      reason: facts.live
        ? `renew TLS secret ${args.namespace}/${args.name}`
        : `create TLS secret ${args.namespace}/${args.name}`,
      actions: [apply(JSON.stringify(desired))],
      diffs: [
        { path: `secret ${args.namespace}/${args.name} (certificate)`, before, after: certificateSummary(facts.cert) },
      ],
      secrets,
    };
  },
});
