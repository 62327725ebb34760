import type { KubeObject } from '../object-store.js';
import {
  mustType,
  timestamp,
  typeOf,
  updateIfChanged,
  type Controller,
  type ControllerContext,
} from './controller-context.js';
import { issueCertificate } from './issue-certificate.js';

const group = 'cert-manager.io';
const clusterResourceNamespace = 'cert-manager';

function readyCondition(
  current: KubeObject,
  status: 'True' | 'False',
  reason: string,
  message: string,
): Record<string, unknown>[] {
  const before = (current.status?.conditions ?? []).find((condition: { type: string }) => condition.type === 'Ready');
  const same = before && before.status === status && before.reason === reason && before.message === message;
  return [
    {
      type: 'Ready',
      status,
      reason,
      message,
      lastTransitionTime: same ? before.lastTransitionTime : timestamp(),
      observedGeneration: current.metadata.generation,
    },
  ];
}

/** Why an issuer cannot issue, or undefined when it can. */
function issuerProblem(issuer: KubeObject): string | undefined {
  const spec = issuer.spec ?? {};
  if (spec.selfSigned || spec.ca) return undefined;
  if (!spec.acme) return 'no issuer type is configured (acme, ca or selfSigned)';
  if (!spec.acme.server) return 'spec.acme.server is required';
  if (!spec.acme.privateKeySecretRef?.name) return 'spec.acme.privateKeySecretRef.name is required';
  return undefined;
}

function reconcileIssuers(ctx: ControllerContext): number {
  let changed = 0;
  for (const kind of ['Issuer', 'ClusterIssuer']) {
    const type = typeOf(ctx, kind, group);
    if (!type) continue;
    for (const issuer of ctx.store.list(type)) {
      const problem = issuerProblem(issuer);
      const acme = issuer.spec?.acme;
      const conditions = problem
        ? readyCondition(issuer, 'False', 'ErrInitIssuer', `Error initializing issuer: ${problem}`)
        : acme
          ? readyCondition(
              issuer,
              'True',
              'ACMEAccountRegistered',
              'The ACME account was registered with the ACME server',
            )
          : readyCondition(issuer, 'True', 'IsReady', 'Signing CA verified');
      const status = {
        ...(acme && !problem
          ? {
              acme: {
                uri: `${acme.server.replace(/\/directory$/, '')}/acme/acct/sandbox`,
                lastRegisteredEmail: acme.email ?? '',
              },
            }
          : {}),
        conditions,
      };
      changed += updateIfChanged(ctx, type, issuer, { ...issuer, status });
    }
  }
  return changed;
}

function findIssuer(ctx: ControllerContext, certificate: KubeObject): KubeObject | undefined {
  const ref = certificate.spec?.issuerRef ?? {};
  const kind = ref.kind ?? 'Issuer';
  const type = typeOf(ctx, kind, group);
  if (!type) return undefined;
  return ctx.store.find(type, kind === 'Issuer' ? certificate.metadata.namespace : undefined, ref.name);
}

function issuedFor(secret: KubeObject | undefined): string | undefined {
  return secret?.metadata?.annotations?.['cert-manager.io/alt-names'];
}

function reconcileCertificates(ctx: ControllerContext): number {
  const type = typeOf(ctx, 'Certificate', group);
  if (!type) return 0;
  const secretType = mustType(ctx, 'Secret');
  let changed = 0;
  for (const certificate of ctx.store.list(type)) {
    const namespace = certificate.metadata.namespace;
    const dnsNames: string[] =
      certificate.spec?.dnsNames ?? (certificate.spec?.commonName ? [certificate.spec.commonName] : []);
    const issuer = findIssuer(ctx, certificate);
    const ref = certificate.spec?.issuerRef ?? {};
    if (
      !issuer ||
      (issuer.status?.conditions ?? []).every(
        (condition: { type: string; status: string }) => !(condition.type === 'Ready' && condition.status === 'True'),
      )
    ) {
      const message = issuer
        ? `Referenced ${ref.kind ?? 'Issuer'} "${ref.name}" is not ready`
        : `Referenced ${ref.kind ?? 'Issuer'} "${ref.name}" not found`;
      changed += updateIfChanged(ctx, type, certificate, {
        ...certificate,
        status: { conditions: readyCondition(certificate, 'False', 'Pending', message) },
      });
      continue;
    }
    const secretName = certificate.spec?.secretName;
    const secret = ctx.store.find(secretType, namespace, secretName);
    const wanted = dnsNames.join(',');
    if (secret && issuedFor(secret) === wanted && certificate.status?.notAfter) {
      changed += updateIfChanged(ctx, type, certificate, {
        ...certificate,
        status: {
          ...certificate.status,
          conditions: readyCondition(certificate, 'True', 'Ready', 'Certificate is up to date and has not expired'),
        },
      });
      continue;
    }
    const issued = issueCertificate(dnsNames, certificate.spec?.commonName);
    const data = {
      'tls.crt': Buffer.from(issued.certificatePem).toString('base64'),
      'tls.key': Buffer.from(issued.privateKeyPem).toString('base64'),
      'ca.crt': Buffer.from(issued.caPem).toString('base64'),
    };
    const metadata = {
      name: secretName,
      namespace,
      annotations: {
        'cert-manager.io/alt-names': wanted,
        'cert-manager.io/certificate-name': certificate.metadata.name,
        'cert-manager.io/common-name': certificate.spec?.commonName ?? dnsNames[0] ?? '',
        'cert-manager.io/issuer-kind': ref.kind ?? 'Issuer',
        'cert-manager.io/issuer-name': ref.name,
        'cert-manager.io/issuer-group': group,
      },
      labels: { 'controller.cert-manager.io/fao': 'true' },
    };
    if (secret)
      ctx.store.update(secretType, namespace, {
        ...secret,
        type: 'kubernetes.io/tls',
        metadata: { ...secret.metadata, ...metadata },
        data,
      });
    else
      ctx.store.create(secretType, namespace, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata,
        data,
      });
    const renewal = new Date(issued.notAfter.getTime() - 30 * 86_400_000);
    const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const fresh = ctx.store.get(type, namespace, certificate.metadata.name);
    ctx.store.update(type, namespace, {
      ...fresh,
      status: {
        conditions: readyCondition(fresh, 'True', 'Ready', 'Certificate is up to date and has not expired'),
        notBefore: iso(issued.notBefore),
        notAfter: iso(issued.notAfter),
        renewalTime: iso(renewal),
        revision: (fresh.status?.revision ?? 0) + 1,
      },
    });
    changed += 2;
  }
  return changed;
}

/** An ACME account key per issuer, as cert-manager stores it; ClusterIssuers keep theirs in the cert-manager namespace. */
function reconcileAccountKeys(ctx: ControllerContext): number {
  const secretType = mustType(ctx, 'Secret');
  const namespaceType = mustType(ctx, 'Namespace');
  let changed = 0;
  for (const kind of ['Issuer', 'ClusterIssuer']) {
    const type = typeOf(ctx, kind, group);
    if (!type) continue;
    for (const issuer of ctx.store.list(type)) {
      const name = issuer.spec?.acme?.privateKeySecretRef?.name;
      const namespace = kind === 'Issuer' ? issuer.metadata.namespace : clusterResourceNamespace;
      if (!name || !ctx.store.find(namespaceType, undefined, namespace) || ctx.store.find(secretType, namespace, name))
        continue;
      ctx.store.create(secretType, namespace, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name, namespace },
        data: { 'tls.key': Buffer.from('sandbox ACME account key').toString('base64') },
      });
      changed += 1;
    }
  }
  return changed;
}

/** cert-manager: issuers register, Certificates get their TLS Secret and a Ready condition, and are reissued when their names change. */
export const certManager: Controller = (ctx) =>
  reconcileIssuers(ctx) + reconcileAccountKeys(ctx) + reconcileCertificates(ctx);
