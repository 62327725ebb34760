type Json = Record<string, any>;

/** `target[key] ??= value` for each entry: a default fills only what the request left out. */
function fill(target: Json, defaults: Json): Json {
  for (const [key, value] of Object.entries(defaults)) target[key] ??= value;
  return target;
}

/** An image without a tag, or tagged `latest`, is pulled every time; any other only when missing. */
function pullPolicy(image: unknown): string {
  const name = String(image ?? '');
  if (name.includes('@')) return 'IfNotPresent';
  const tag = /:([^/:]+)$/.exec(name)?.[1];
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function probeDefaults(probe: Json | undefined): void {
  if (!probe) return;
  fill(probe, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  if (probe['httpGet']) fill(probe['httpGet'], { path: '/', scheme: 'HTTP' });
}

function containerDefaults(container: Json): void {
  fill(container, {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: pullPolicy(container['image']),
  });
  for (const port of container['ports'] ?? []) fill(port, { protocol: 'TCP' });
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) probeDefaults(container[probe]);
}

/** SetDefaults_PodSpec and SetDefaults_Container of the core/v1 API, as the server applies them to every pod and pod template. */
export function podSpecDefaults(spec: Json | undefined): void {
  if (!spec) return;
  fill(spec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
  });
  for (const container of [...(spec['initContainers'] ?? []), ...(spec['containers'] ?? [])])
    containerDefaults(container);
}

/** The apps/v1 and batch/v1 defaulting functions: what helm's readiness checks and kubectl's rollout status read back. */
export function workloadDefaults(kind: string, object: Json): void {
  const spec: Json | undefined = object['spec'];
  if (kind === 'Pod') return podSpecDefaults(spec);
  if (!spec) return;
  podSpecDefaults(spec['template']?.spec);
  switch (kind) {
    case 'Deployment':
      fill(spec, { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: {} });
      fill(spec['strategy'], { type: 'RollingUpdate' });
      if (spec['strategy'].type === 'RollingUpdate')
        spec['strategy'].rollingUpdate = fill(spec['strategy'].rollingUpdate ?? {}, {
          maxUnavailable: '25%',
          maxSurge: '25%',
        });
      break;
    case 'StatefulSet':
      fill(spec, {
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        revisionHistoryLimit: 10,
        updateStrategy: {},
        persistentVolumeClaimRetentionPolicy: {},
      });
      fill(spec['updateStrategy'], { type: 'RollingUpdate' });
      if (spec['updateStrategy'].type === 'RollingUpdate')
        spec['updateStrategy'].rollingUpdate = fill(spec['updateStrategy'].rollingUpdate ?? {}, { partition: 0 });
      fill(spec['persistentVolumeClaimRetentionPolicy'], { whenDeleted: 'Retain', whenScaled: 'Retain' });
      break;
    case 'DaemonSet':
      fill(spec, { revisionHistoryLimit: 10, updateStrategy: {} });
      fill(spec['updateStrategy'], { type: 'RollingUpdate' });
      if (spec['updateStrategy'].type === 'RollingUpdate')
        spec['updateStrategy'].rollingUpdate = fill(spec['updateStrategy'].rollingUpdate ?? {}, {
          maxUnavailable: 1,
          maxSurge: 0,
        });
      break;
    case 'ReplicaSet':
      fill(spec, { replicas: 1 });
      break;
    case 'Job':
      if (spec['completions'] === undefined && spec['parallelism'] === undefined)
        Object.assign(spec, { completions: 1, parallelism: 1 });
      fill(spec, {
        parallelism: 1,
        backoffLimit: 6,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
      });
      break;
    default:
      break;
  }
}
