import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HoldPoint } from '../support/hold-point.js';
import { memoryVolumeBackend, type VolumeBackend } from '../cloud/volume-backend.js';
import { apiRouter } from './api-router.js';
import { allControllers } from './controllers/all-controllers.js';
import { startReconcileLoop } from './controllers/reconcile-loop.js';
import { send } from './http-body.js';
import { HttpError } from './http-error.js';
import { statusBody } from './kube-status.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { ObjectStore, StoreError } from './object-store.js';
import { resourceTypesOf, type ResourceType } from './resource-catalog.js';
import { resourceHandlers } from './resource-handlers.js';
import { serverVersion } from './discovery.js';
import type { WorkloadBehaviour } from './workload-behaviour.js';

export interface KubeApiServer {
  url: string;
  store: ObjectStore;
  types: ResourceType[];
  /** Requests that would change something (create, update, patch, delete), server-side dry runs excluded. */
  mutatingRequests: { method: string; path: string }[];
  /** The simulated cloud's Cinder volumes, which provisioned PVs point at. */
  volumes: VolumeBackend;
  /** Runs the controllers to a fixed point now instead of after their delay. */
  settle(): void;
  close(): Promise<void>;
}

export interface KubeApiServerOptions {
  types?: ResourceType[];
  store?: ObjectStore;
  volumes?: VolumeBackend;
  namespaceTerminationMs?: number;
  /** How long controllers wait after a change before reconciling; false runs none. */
  controllerDelayMs?: number | false;
  /**
   * Called before each API request: false while no cluster exists (destroyed, not yet installed)
   * drops the connection, as to a dead host; the site also swaps in a fresh cluster here after a rebuild.
   */
  admitRequest?: () => boolean;
  log?: (line: string) => void;
  /** The port to listen on (a site keeps its URL from run to run); random when absent. */
  port?: number;
  /** The path the API answers under (a site keeps it from run to run, as it keeps its port); a new one for each server when absent. */
  path?: string;
  /** The address the cloud gives LoadBalancer Services (the site's floating IP); undefined: no load-balancer provider. */
  loadBalancerAddress?: () => string | undefined;
  /** Whether the site's registry has an image (pods of any other stay in ImagePullBackOff); undefined: every image pulls. */
  imageAvailable?: (image: string) => boolean;
  /** How long Jobs run and which workloads fail. */
  workloads?: WorkloadBehaviour;
  /** What `/version` reports: the Kubernetes release the toolchain's kubectl expects. */
  version?: { major: string; minor: string; gitVersion: string };
  /** Files served as they are under a path prefix: the sandbox's chart repository. */
  staticFiles?: { prefix: string; dir: string };
  /** Where a test holds a write (`kube-write:<METHOD> <namespace>/<plural>`) until it releases it. */
  hold?: HoldPoint;
}

async function listen(server: Server, port: number | undefined): Promise<void> {
  const attempt = (which: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(which, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  if (!port) return attempt(0);
  try {
    await attempt(port);
  } catch (error) {
    throw new Error(
      `port ${port} on 127.0.0.1 is in use (${(error as NodeJS.ErrnoException).code}); set sandbox.port in the inventory to another one`,
    );
  }
}

/** A Kubernetes API server on 127.0.0.1 that real kubectl and helm can drive; only loopback, random port. */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const instancePath = options.path ?? `/cluster-${randomUUID().slice(0, 8)}`;
  const types = options.types ?? resourceTypesOf(Number(options.version?.minor ?? serverVersion.minor));
  const store = options.store ?? new ObjectStore();
  const volumes = options.volumes ?? memoryVolumeBackend();
  const controllers =
    options.controllerDelayMs === false
      ? undefined
      : startReconcileLoop(
          {
            store,
            types,
            volumes,
            ...(options.loadBalancerAddress ? { loadBalancerAddress: options.loadBalancerAddress } : {}),
            ...(options.imageAvailable ? { imageAvailable: options.imageAvailable } : {}),
            ...(options.workloads ? { workloads: options.workloads } : {}),
          },
          allControllers,
          {
            delayMs: options.controllerDelayMs ?? 20,
            onError: (error) => options.log?.(`controller error: ${error.stack ?? error.message}`),
          },
        );
  const mutatingRequests: { method: string; path: string }[] = [];
  const namespaces = namespaceLifecycle(store, types, options.namespaceTerminationMs);
  const resources = resourceHandlers({
    store,
    types,
    namespaces,
    mutatingRequests,
    ...(options.hold ? { hold: options.hold } : {}),
  });
  const handle = apiRouter({ ...options, instancePath, types, handleResource: resources.handleResource });

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof StoreError)
        return send(response, error.code, statusBody(error.code, error.reason, error.message, error.details));
      if (error instanceof HttpError)
        return send(response, error.code, statusBody(error.code, error.reason, error.message));
      send(response, 500, statusBody(500, 'InternalError', (error as Error).message));
    });
  });
  await listen(server, options.port);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${instancePath}`,
    store,
    types,
    mutatingRequests,
    volumes,
    settle: () => controllers?.settle(),
    close: () =>
      new Promise<void>((resolve) => {
        controllers?.stop();
        namespaces.stop();
        resources.closeWatches();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
