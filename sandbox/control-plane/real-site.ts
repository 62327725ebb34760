import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readFile, rm, readdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VolumeBackend } from '../cloud/volume-backend.js';
import { clusterStateReader, type ClusterInstall } from '../cloud/cluster-state.js';
import { certManager } from '../kube/controllers/cert-manager.js';
import { serviceController } from '../kube/controllers/service-controller.js';
import { volumeProvisioner } from '../kube/controllers/volume-provisioner.js';
import { resourceTypesOf, type ResourceType } from '../kube/resource-catalog.js';
import type { ControlPlaneBinaries } from './control-plane-binaries.js';
import { controlPlaneCredentials, startRealControlPlane, type RealControlPlane } from './real-control-plane.js';
import { KubeHttp } from './kube-http.js';
import { mirrorPass } from './api-mirror.js';
import { seedRealCluster, syncRealNodes } from './real-cluster-seed.js';
import { imagePuller } from '../kube/controllers/image-puller.js';
import { siteStages } from './kwok-stages.js';
import { pathExists } from '../path-exists.js';
import { volumeDeleter } from '../kube/controllers/volume-deleter.js';

export interface RealSiteOptions {
  binaries: ControlPlaneBinaries;
  stateDir: string;
  terraformDir: string;
  port: number;
  volumes: VolumeBackend;
  certManager: boolean;
  gatewayApi: boolean;
  /** The folder the chart repository's files are in, served at `/charts/`. */
  chartsDir: string;
  loadBalancerAddress?: () => string | undefined;
  /** The site's registry: pods whose images it lacks stay in ImagePullBackOff. */
  registry: ReadonlySet<string>;
  log?: (line: string) => void;
}

export interface RealSite {
  /** https://127.0.0.1:<port>: the site's fixed address, in front of whichever control plane runs. */
  url: string;
  caPem: string;
  adminToken: string;
  /** The API server behind the gate, for the sandbox's own reads; started on first need. */
  http: KubeHttp;
  /** The kinds the release serves. */
  types: ResourceType[];
  /** Until a cluster answers (or undefined when none is installed now). */
  ready(): Promise<boolean>;
  /** Writes the operator's tools made through the API so far, from the audit log. */
  apiWrites(): number;
  /** Until the cloud's controllers made one pass over what is there now. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

async function listen(server: Server | HttpServer, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** The chart repository: files served as they are, under /charts/. */
function chartServer(dir: string): HttpServer {
  return createHttpServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const relative = path.startsWith('/charts/') ? path.slice('/charts/'.length) : undefined;
    if (relative === undefined || relative.split('/').includes('..')) {
      response.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(join(dir, relative));
      response.writeHead(200, { 'content-length': body.length }).end(body);
    } catch {
      response.writeHead(404).end(`${relative} not found`);
    }
  });
}

function pipeTo(socket: Socket, port: number): void {
  const upstream = connect(port, '127.0.0.1');
  const close = () => {
    socket.destroy();
    upstream.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
  upstream.on('close', close);
  socket.on('close', close);
  socket.pipe(upstream).pipe(socket);
}

function countLines(path: string): number {
  try {
    const text = readFileSync(path, 'utf8');
    let count = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
    return count;
  } catch {
    return 0;
  }
}

/**
 * A sandbox site on the real control plane: the upstream API server, controller manager, scheduler
 * and KWOK's nodes, started for the cluster Kubespray's stand-in installed (a new, empty etcd for a new
 * control-plane instance), behind a gate on the site's port that drops connections while no cluster
 * exists, as a dead host does. TLS goes to the API server; plain HTTP to the chart repository.
 */
export async function startRealSite(options: RealSiteOptions): Promise<RealSite> {
  const dir = join(options.stateDir, 'control-plane');
  const types = resourceTypesOf(Number(options.binaries.versions.kubernetes.split('.')[1]));
  const cluster = clusterStateReader(options.terraformDir, options.stateDir);
  const log = options.log ?? (() => {});
  const credentials = await controlPlaneCredentials(dir);
  const stages = join(dir, 'kwok-stages.yaml');
  await writeFile(stages, siteStages(await readFile(options.binaries.kwokStages, 'utf8'), options.registry));
  let plane: RealControlPlane | undefined;
  let planeFor: string | undefined;
  let nodesFor = '';
  let changing: Promise<RealControlPlane | undefined> = Promise.resolve(undefined);
  let stopped = false;

  const cloudHttp = () => {
    if (!plane) throw new Error('no control plane runs');
    return new KubeHttp(() => plane!.url, plane.caPem, plane.cloudToken);
  };
  let http: KubeHttp | undefined;

  /** The control plane of the cluster installed now, started or replaced as Kubespray's record says. */
  const bring = async (install: ClusterInstall): Promise<RealControlPlane> => {
    if (plane && planeFor === install.controlPlaneId) {
      const nodes = install.nodes.join(',');
      if (nodes !== nodesFor) {
        await syncRealNodes(http!, types, install.nodes, options.binaries.versions.kubernetes);
        nodesFor = nodes;
      }
      return plane;
    }
    await plane?.stop();
    plane = undefined;
    http?.close();
    const etcdDir = join(dir, `etcd-${install.controlPlaneId}`);
    // Another control-plane instance's data belongs to a cluster that no longer exists.
    for (const entry of await readdir(dir).catch(() => [] as string[]))
      if (entry.startsWith('etcd-') && entry !== `etcd-${install.controlPlaneId}`)
        await rm(join(dir, entry), { recursive: true, force: true });
    // Written once Kubespray's part of the cluster is all there: a run killed while seeding seeds again.
    const seeded = join(etcdDir, 'sandbox-seeded');
    const fresh = !(await pathExists(seeded));
    plane = await startRealControlPlane({ ...options.binaries, kwokStages: stages }, dir, { etcdDir });
    planeFor = install.controlPlaneId;
    http = cloudHttp();
    if (fresh) {
      log(`new cluster on ${install.controlPlaneId}: seeding nodes, classes and CRDs`);
      await seedRealCluster(http, types, install.nodes, {
        certManager: options.certManager,
        gatewayApi: options.gatewayApi,
        kubeletVersion: options.binaries.versions.kubernetes,
      });
      await writeFile(seeded, `${new Date().toISOString()}\n`);
    } else await syncRealNodes(http, types, install.nodes, options.binaries.versions.kubernetes);
    nodesFor = install.nodes.join(',');
    return plane;
  };

  /** Serialized, so two connections arriving together start one control plane. */
  const admit = (): Promise<RealControlPlane | undefined> => {
    changing = changing.then(
      async () => {
        if (stopped) return undefined;
        const state = cluster.read();
        if (!state.up || !state.install) {
          if (plane) {
            log('the cluster is gone: stopping its control plane');
            await plane.stop();
            plane = undefined;
            planeFor = undefined;
          }
          return undefined;
        }
        return bring(state.install);
      },
      () => undefined,
    );
    return changing;
  };

  const charts = chartServer(options.chartsDir);
  const chartsPort = await listen(charts, 0);
  const open = new Set<Socket>();
  const gate = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      // A TLS handshake starts with 0x16: the API; anything else is HTTP for the chart repository.
      if (first[0] !== 0x16) return pipeTo(socket, chartsPort);
      void admit().then(
        (running) => (running ? pipeTo(socket, Number(new URL(running.url).port)) : socket.destroy()),
        () => socket.destroy(),
      );
    });
  });
  const port = await listen(gate, options.port);

  let passing: Promise<void> = Promise.resolve();
  const pass = () => {
    passing = passing.then(async () => {
      if (!plane || !http) return;
      try {
        await mirrorPass({
          http,
          types,
          volumes: options.volumes,
          controllers: [imagePuller, volumeProvisioner, volumeDeleter, serviceController, certManager],
          imageAvailable: (image) => options.registry.has(image),
          ...(options.loadBalancerAddress ? { loadBalancerAddress: options.loadBalancerAddress } : {}),
        });
      } catch (error) {
        log(`cloud controllers: ${(error as Error).message}`);
      }
    });
    return passing;
  };
  const timer = setInterval(() => void pass(), 250);
  timer.unref();

  await admit();
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: credentials.caPem,
    adminToken: credentials.tokens.admin,
    types,
    get http() {
      if (!http) throw new Error('no cluster is installed');
      return http;
    },
    async ready() {
      return Boolean(await admit());
    },
    apiWrites: () => countLines(join(dir, 'audit.log')),
    settle: () => pass(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await passing;
      const closed = new Promise<void>((resolve) => gate.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
      await new Promise<void>((resolve) => charts.close(() => resolve()));
      await changing;
      http?.close();
      await plane?.stop();
    },
  };
}
