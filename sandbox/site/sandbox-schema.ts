import { Type, type Static } from '@sinclair/typebox';

/** A Kubernetes namespace name (an RFC 1123 label), as the API server takes it. */
const namespaceName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description });

/** The inventory's `sandbox:` settings: one definition gives their validator and their type. */
export const sandboxSchema = Type.Object(
  {
    state_dir: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Type.Integer({ minimum: 1024, maximum: 65535 })),
    toolchain: Type.Optional(Type.Union([Type.Literal('v33'), Type.Literal('v30')])),
    control_plane: Type.Optional(
      Type.Union([Type.Literal('simulated'), Type.Literal('real')], {
        description:
          "What answers as Kubernetes: simulated (the project's simulator, in-process, the default) or real (kube-apiserver, kube-controller-manager, kube-scheduler, etcd and KWOK's nodes, built by npm run build:control-plane).",
      }),
    ),
    control_plane_binaries: Type.Optional(
      Type.Object(
        {
          etcd: Type.Optional(Type.String({ minLength: 1 })),
          kube_apiserver: Type.Optional(Type.String({ minLength: 1 })),
          kube_controller_manager: Type.Optional(Type.String({ minLength: 1 })),
          kube_scheduler: Type.Optional(Type.String({ minLength: 1 })),
          kwok: Type.Optional(Type.String({ minLength: 1 })),
        },
        {
          additionalProperties: false,
          description:
            "Binaries of the real control plane you already have, used instead of npm run build:control-plane's (relative to the inventory); etcd and kube-apiserver also come from KUBEBUILDER_ASSETS (setup-envtest's folder) when it is set.",
        },
      ),
    ),
    from_snapshot: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A folder `run snapshot` wrote of a real site (relative to the inventory): the site is made its twin on first start, with the same nodes, classes, volumes, claims, release and quotas.',
      }),
    ),
    charts: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "Chart archives (.tgz, as helm pull writes them) the site's chart repository serves besides its own, relative to the inventory: a twin's release at the chart version its site runs.",
      }),
    ),
    cert_manager: Type.Optional(Type.Boolean()),
    gateway_api: Type.Optional(
      Type.Boolean({
        description:
          "Install the Gateway API's CRDs (standard channel) on every new cluster, as Kubespray's gateway_api_enabled does (default false).",
      }),
    ),
    terraform: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('real'), Type.Literal('stand-in')], {
        description:
          'Which terraform drives the simulated cloud: auto (the real terraform when one of 1.4 or later is on PATH, else the stand-in), real, or stand-in.',
      }),
    ),
    cloud: Type.Optional(
      Type.Object(
        {
          latency_ms: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 600_000,
              description: 'How long each call to the simulated cloud takes.',
            }),
          ),
          fail: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description: 'Names of resources (k8s-node-3) the cloud refuses to create, as a quota would.',
            }),
          ),
          load_balancer: Type.Optional(
            Type.Boolean({
              description:
                "Whether the cloud gives LoadBalancer Services an address (the site's floating IP); false models a site without a load-balancer provider, where the address stays pending (default true).",
            }),
          ),
          quota: Type.Optional(
            Type.Object(
              {
                volumes: Type.Optional(
                  Type.Integer({ minimum: -1, description: 'How many volumes the project may have.' }),
                ),
                snapshots: Type.Optional(
                  Type.Integer({ minimum: -1, description: 'How many volume snapshots the project may have.' }),
                ),
                gigabytes: Type.Optional(
                  Type.Integer({
                    minimum: -1,
                    description: 'How many GiB its volumes and snapshots may hold together.',
                  }),
                ),
              },
              {
                additionalProperties: false,
                description:
                  "The project's Block Storage quota, which Cinder enforces with 413 (-1, the default, is unlimited).",
              },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    images: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "Images the site's registry has besides those the sandbox's charts name (repository:tag); a pod naming any other stays in ImagePullBackOff, as on a real site.",
      }),
    ),
    workloads: Type.Optional(
      Type.Object(
        {
          job_seconds: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 3600,
              description:
                'How long each Job (a helm hook, an image puller) runs before it completes (default 0: at once).',
            }),
          ),
          not_ready: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description:
                "Workloads (Deployment, StatefulSet, DaemonSet or pod names) whose pods run but fail their readiness probe, with the kubelet's Unhealthy events: to see a wait fail.",
            }),
          ),
          failing_jobs: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              description: 'Jobs whose pods fail until the Job gives up (BackoffLimitExceeded).',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    seed: Type.Optional(
      Type.Union([
        Type.Literal(false),
        Type.Object(
          {
            users: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
            servers: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 100_000,
                description: 'How many of the users have a running server: a jupyter-<user> pod mounting claim-<user>.',
              }),
            ),
            namespace: Type.Optional(namespaceName('Namespace of the seeded users.')),
            from_backup: Type.Optional(Type.String({ minLength: 1 })),
            in_tree_users: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 100_000,
                description:
                  'How many of the users (the first ones) have a volume from the in-tree Cinder provisioner, from before CSI (default: half).',
              }),
            ),
            deleted_users: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 100_000,
                description: 'Users deleted while their volumes were Retain: Released volumes whose claim is gone.',
              }),
            ),
            other_namespaces: Type.Optional(
              Type.Record(
                Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }),
                Type.Integer({ minimum: 0, maximum: 100_000 }),
                {
                  description:
                    'Users of other namespaces, by namespace: their volumes must come through a rebuild of this namespace untouched.',
                },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);

export type RawSandbox = Static<typeof sandboxSchema>;
