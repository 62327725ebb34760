import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ControlPlaneBinaries } from './control-plane-binaries.js';
import { controlPlanePki } from './control-plane-pki.js';
import { writeStateFile } from '../support/state-file.js';

export interface RealControlPlane {
  /** https://127.0.0.1:<port> */
  url: string;
  /** An admin kubeconfig (group system:masters), for kubectl and helm. */
  kubeconfig: string;
  caPem: string;
  adminToken: string;
  /** The token of the sandbox's own controllers and seeding, whose writes the audit log leaves out. */
  cloudToken: string;
  /** One JSON line per write the operator's tools (the admin identity) made. */
  auditLog: string;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** etcd's data; a folder of its own per cluster, so a new cluster starts empty. */
  etcdDir?: string;
  timeoutMs?: number;
}

/** Each identity the components use, with the group RBAC's bootstrap policy gives its permissions to. */
const identities = {
  admin: { user: 'sandbox-admin', groups: ['system:masters'] },
  cloud: { user: 'sandbox-cloud', groups: ['system:masters'] },
  kwok: { user: 'sandbox-kwok', groups: ['system:masters'] },
  controllerManager: { user: 'system:kube-controller-manager', groups: [] },
  scheduler: { user: 'system:kube-scheduler', groups: [] },
} as const;

type Identity = keyof typeof identities;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** GETs a path until it answers 200, or throws with the component's last words after `timeoutMs`. */
async function untilHealthy(
  get: () => Promise<number>,
  what: string,
  process: ResultPromise,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process.finally(() => (exited = true));
  for (;;) {
    const status = await get().catch(() => 0);
    if (status === 200) return;
    if (exited || Date.now() > deadline) {
      const result = await (exited ? process : Promise.resolve(undefined));
      throw new Error(`${what} did not become healthy${result ? ` (exit ${result.exitCode})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function httpsStatus(url: string, caPem: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = plainRequest(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A kubeconfig for one identity (a token) on the API server at `url`, trusting the site's CA. */
export function tokenKubeconfig(url: string, caPem: string, user: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user } }],
    'current-context': 'sandbox',
  });
}

/** What the controller manager and the scheduler share: their identity for the API and their own serving, on loopback, alone (no election). */
function componentArgs(kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    '--leader-elect=false',
    '--profiling=false',
  ];
}

/** Writes by the operator's identity only: what the site summary counts as the run's own API writes. */
const auditPolicy = stringify({
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    {
      level: 'Metadata',
      users: [identities.admin.user],
      verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
    },
    { level: 'None' },
  ],
});

/** Each file's text, or undefined when any is missing: the CA and what it signed are kept or made again together. */
async function readAll(paths: string[]): Promise<string[] | undefined> {
  try {
    return await Promise.all(paths.map((path) => readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

async function savedTokens(path: string): Promise<Partial<Record<Identity, string>>> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<Record<Identity, string>>;
  } catch {
    return {};
  }
}

/**
 * The site's CA, serving certificate, service-account keys and tokens, made on first use and kept in
 * `dir`: a restarted or rebuilt control plane keeps them, so the kubeconfig the operator has stays valid.
 */
export async function controlPlaneCredentials(dir: string) {
  await mkdir(join(dir, 'logs'), { recursive: true });
  const files = {
    ca: join(dir, 'ca.crt'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublic: join(dir, 'sa.pub'),
    tokens: join(dir, 'tokens.json'),
    auditPolicy: join(dir, 'audit-policy.yaml'),
    auditLog: join(dir, 'audit.log'),
    tokenFile: join(dir, 'tokens.csv'),
  };
  const pkiFiles = [files.ca, files.servingCert, files.servingKey, files.serviceAccountKey, files.serviceAccountPublic];
  let pem = await readAll(pkiFiles);
  if (!pem) {
    // The old ones go first, then each is written whole: a kill at any point leaves one missing, and the set is made again.
    for (const path of pkiFiles) await rm(path, { force: true });
    const made = controlPlanePki();
    pem = [
      made.caPem,
      made.servingCertificatePem,
      made.servingKeyPem,
      made.serviceAccountKeyPem,
      made.serviceAccountPublicPem,
    ];
    for (const [index, path] of pkiFiles.entries())
      await writeStateFile(path, pem[index]!, path.endsWith('.key') ? 0o600 : 0o644);
  }
  const caPem = pem[0]!;
  const saved = await savedTokens(files.tokens);
  // A token for each identity; one a site made before an identity existed gets it now, the others stay.
  const tokens = Object.fromEntries(
    Object.keys(identities).map((name) => [name, saved[name as Identity] ?? randomBytes(24).toString('hex')]),
  ) as Record<Identity, string>;
  if (Object.keys(identities).some((name) => !saved[name as Identity]))
    await writeStateFile(files.tokens, JSON.stringify(tokens), 0o600);
  await writeFile(
    files.tokenFile,
    Object.entries(identities)
      .map(([name, { user, groups }]) => `${tokens[name as Identity]},${user},${user},"${groups.join(',')}"\n`)
      .join(''),
    { mode: 0o600 },
  );
  await writeFile(files.auditPolicy, auditPolicy);
  return { files, caPem, tokens };
}

/**
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK, built from their upstream
 * releases, on loopback ports with their own CA and tokens; etcd's data and every log live in `dir`.
 */
export async function startRealControlPlane(
  binaries: ControlPlaneBinaries,
  dir: string,
  options: ControlPlaneOptions = {},
): Promise<RealControlPlane> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const { files, caPem, tokens } = await controlPlaneCredentials(dir);

  const started: ResultPromise[] = [];
  const start = (name: string, file: string, args: string[]): ResultPromise => {
    const child = execa(file, args, {
      reject: false,
      stdin: 'ignore',
      stdout: { file: join(dir, 'logs', `${name}.log`), append: true },
      stderr: { file: join(dir, 'logs', `${name}.err.log`), append: true },
    });
    started.push(child);
    return child;
  };
  const stop = async () => {
    for (const child of [...started].reverse()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await child;
      clearTimeout(timer);
    }
  };

  try {
    const [etcdClient, etcdPeer, secure, controllerPort, schedulerPort, kwokPort] = await Promise.all(
      Array.from({ length: 6 }, () => freePort()),
    );
    const etcd = start('etcd', binaries.etcd, [
      '--name=sandbox',
      `--data-dir=${options.etcdDir ?? join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=sandbox=http://127.0.0.1:${etcdPeer}`,
      '--log-level=warn',
      // A rehearsal's cluster, not a record anyone keeps: durability through a power loss buys nothing here.
      '--unsafe-no-fsync',
    ]);
    await untilHealthy(() => httpStatus(`http://127.0.0.1:${etcdClient}/health`), 'etcd', etcd, timeoutMs);

    const url = `https://127.0.0.1:${secure}`;
    const apiserver = start('kube-apiserver', binaries.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${secure}`,
      `--tls-cert-file=${files.servingCert}`,
      `--tls-private-key-file=${files.servingKey}`,
      `--token-auth-file=${files.tokenFile}`,
      `--audit-policy-file=${files.auditPolicy}`,
      `--audit-log-path=${files.auditLog}`,
      '--audit-log-format=json',
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${files.serviceAccountPublic}`,
      `--service-account-signing-key-file=${files.serviceAccountKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      // The kubernetes Service's endpoint would be the loopback address, which the API server refuses to publish.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ]);
    await untilHealthy(() => httpsStatus(`${url}/readyz`, caPem, tokens.admin), 'kube-apiserver', apiserver, timeoutMs);

    const configs = Object.fromEntries(
      Object.entries(identities).map(([name]) => [name, join(dir, `${name}.kubeconfig`)]),
    ) as Record<Identity, string>;
    for (const [name, { user }] of Object.entries(identities))
      await writeFile(configs[name as Identity], tokenKubeconfig(url, caPem, user, tokens[name as Identity]), {
        mode: 0o600,
      });

    start('kube-controller-manager', binaries.kubeControllerManager, [
      ...componentArgs(configs.controllerManager, controllerPort!),
      `--service-account-private-key-file=${files.serviceAccountKey}`,
      `--root-ca-file=${files.ca}`,
      '--use-service-account-credentials=true',
      '--controllers=*',
    ]);
    start('kube-scheduler', binaries.kubeScheduler, [...componentArgs(configs.scheduler, schedulerPort!)]);
    start('kwok', binaries.kwok, [
      `--kubeconfig=${configs.kwok}`,
      `--config=${binaries.kwokStages}`,
      '--manage-all-nodes=false',
      // Nodes renew leases as kubelets do; without them the node lifecycle controller marks them NotReady between status updates.
      '--node-lease-duration-seconds=40',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.1/16',
      '--node-ip=10.244.0.1',
      `--server-address=127.0.0.1:${kwokPort}`,
    ]);
    return {
      url,
      kubeconfig: configs.admin,
      caPem,
      adminToken: tokens.admin,
      cloudToken: tokens.cloud,
      auditLog: files.auditLog,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
