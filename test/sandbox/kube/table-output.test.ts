import { describe, expect, it } from 'vitest';
import { age } from '../../../sandbox/kube/table-output.js';
import { boundClaims } from '../../helpers/bound-claims.js';
import { kubeSandbox } from '../../helpers/kube-sandbox.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: hub, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {component: hub}}
  template:
    metadata: {labels: {component: hub}}
    spec: {containers: [{name: hub, image: quay.io/jupyterhub/k8s-hub:4.2.0}]}
---
apiVersion: v1
kind: Service
metadata: {name: proxy-public, namespace: default}
spec: {type: LoadBalancer, selector: {component: proxy}, ports: [{port: 80, targetPort: 8000}]}
`;

/** kubectl's table: the header's columns, and each row split on runs of spaces. */
const table = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

describe.each(['v33', 'v30'] as const)(
  'kubectl get prints the columns a real cluster gives it (kubectl %s)',
  (toolchain) => {
    it("a pod whose init container's image does not pull shows Init:ImagePullBackOff, as kubectl's printer does", async () => {
      const sandbox = await kubeSandbox(toolchain, {}, { imageAvailable: (image) => !image.endsWith('-typo') });
      const pod = `apiVersion: v1
kind: Pod
metadata: {name: puller, namespace: default}
spec:
  initContainers: [{name: first, image: quay.io/jupyterhub/k8s-network-tools:4.2.0}, {name: second, image: quay.io/jupyterhub/k8s-singleuser-sample:4.2.0-typo}]
  containers: [{name: pause, image: registry.k8s.io/pause:3.10}]
`;
      expect((await sandbox.kubectl(['apply', '-f', '-'], pod)).exitCode).toBe(0);
      sandbox.server.settle();
      const pods = table((await sandbox.kubectl(['get', 'pods'])).stdout);
      expect(pods[1]!.slice(0, 3)).toEqual(['puller', '0/1', 'Init:ImagePullBackOff']);
    });

    it('daemon sets, stateful sets, replica sets and disruption budgets with their columns, and `get all` lists the workloads', async () => {
      const sandbox = await kubeSandbox(toolchain);
      const workloads = `apiVersion: v1
kind: Node
metadata: {name: k8s-node-1}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: puller, namespace: default}
spec:
  selector: {matchLabels: {component: puller}}
  template:
    metadata: {labels: {component: puller}}
    spec: {containers: [{name: pause, image: registry.k8s.io/pause:3.10}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: placeholder, namespace: default}
spec:
  replicas: 0
  serviceName: placeholder
  selector: {matchLabels: {component: placeholder}}
  template:
    metadata: {labels: {component: placeholder}}
    spec: {containers: [{name: pause, image: registry.k8s.io/pause:3.10}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: placeholder, namespace: default}
spec: {maxUnavailable: 1, selector: {matchLabels: {component: placeholder}}}
`;
      expect((await sandbox.kubectl(['apply', '-f', '-'], `${workloads}---\n${deployment}`)).exitCode).toBe(0);
      sandbox.server.settle();
      const sets = table((await sandbox.kubectl(['get', 'ds,sts,rs,pdb'])).stdout);
      expect(sets).toContainEqual([
        'NAME',
        'DESIRED',
        'CURRENT',
        'READY',
        'UP-TO-DATE',
        'AVAILABLE',
        'NODE SELECTOR',
        'AGE',
      ]);
      expect(sets).toContainEqual([
        'daemonset.apps/puller',
        '1',
        '1',
        '1',
        '1',
        '1',
        '<none>',
        expect.stringMatching(/s$/),
      ]);
      expect(sets).toContainEqual(['statefulset.apps/placeholder', '0/0', expect.stringMatching(/s$/)]);
      expect(sets).toContainEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
      expect(sets).toContainEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
      const wide = table((await sandbox.kubectl(['get', 'ds', 'puller', '-o', 'wide'])).stdout);
      expect(wide[1]!.slice(-3)).toEqual(['pause', 'registry.k8s.io/pause:3.10', 'component=puller']);

      const all = await sandbox.kubectl(['get', 'all']);
      expect(all.exitCode, all.stderr).toBe(0);
      for (const name of [
        'pod/hub-',
        'service/proxy-public',
        'deployment.apps/hub',
        'daemonset.apps/puller',
        'statefulset.apps/placeholder',
      ])
        expect(all.stdout).toContain(name);
    });

    it('storage classes with their provisioner, policies and the default marked, as the API server prints them', async () => {
      const sandbox = await kubeSandbox(toolchain);
      const classes = [
        'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast, annotations: {storageclass.kubernetes.io/is-default-class: "true"}}\nprovisioner: cinder.csi.openstack.org\nreclaimPolicy: Retain\nvolumeBindingMode: WaitForFirstConsumer\nallowVolumeExpansion: true\n',
        'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: standard}\nprovisioner: kubernetes.io/cinder\n',
      ].join('---\n');
      expect((await sandbox.kubectl(['apply', '-f', '-'], classes)).exitCode).toBe(0);
      const shown = table((await sandbox.kubectl(['get', 'storageclass', 'fast', 'standard'])).stdout);
      expect(shown[0]).toEqual([
        'NAME',
        'PROVISIONER',
        'RECLAIMPOLICY',
        'VOLUMEBINDINGMODE',
        'ALLOWVOLUMEEXPANSION',
        'AGE',
      ]);
      expect(shown.slice(1).map((row) => row.slice(0, 5))).toEqual([
        ['fast (default)', 'cinder.csi.openstack.org', 'Retain', 'WaitForFirstConsumer', 'true'],
        ['standard', 'kubernetes.io/cinder', 'Delete', 'Immediate', 'false'],
      ]);
    });

    it('pods, deployments, services, volumes and claims, with their READY, STATUS and other columns', async () => {
      const sandbox = await kubeSandbox(toolchain, {}, { loadBalancerAddress: () => '149.165.1.2' });
      expect((await sandbox.kubectl(['apply', '-f', '-'], deployment)).exitCode).toBe(0);
      await boundClaims(sandbox, { jhub: ['claim-ada'] });
      sandbox.server.settle();

      const pods = table((await sandbox.kubectl(['get', 'pods'])).stdout);
      expect(pods[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      expect(pods[1]!.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
      expect(pods[1]![0]).toMatch(/^hub-/);

      expect(table((await sandbox.kubectl(['get', 'deployment', 'hub'])).stdout)).toEqual([
        ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
        ['hub', '1/1', '1', '1', expect.stringMatching(/^\d+s$/)],
      ]);

      const services = table((await sandbox.kubectl(['get', 'service', 'proxy-public'])).stdout);
      expect(services[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      expect(services[1]!.slice(0, 5)).toEqual([
        'proxy-public',
        'LoadBalancer',
        expect.stringMatching(/^10\.233\./),
        '149.165.1.2',
        expect.stringMatching(/^80:3\d{4}\/TCP$/),
      ]);

      const claims = table((await sandbox.kubectl(['get', 'pvc', '-n', 'jhub'])).stdout);
      expect(claims[0]).toEqual([
        'NAME',
        'STATUS',
        'VOLUME',
        'CAPACITY',
        'ACCESS MODES',
        'STORAGECLASS',
        'VOLUMEATTRIBUTESCLASS',
        'AGE',
      ]);
      expect(claims[1]!.slice(0, 2)).toEqual(['claim-ada', 'Bound']);
      const volumes = table((await sandbox.kubectl(['get', 'pv'])).stdout);
      expect(volumes[0]).toEqual([
        'NAME',
        'CAPACITY',
        'ACCESS MODES',
        'RECLAIM POLICY',
        'STATUS',
        'CLAIM',
        'STORAGECLASS',
        'VOLUMEATTRIBUTESCLASS',
        'REASON',
        'AGE',
      ]);
      expect(volumes[1]).toContain('jhub/claim-ada');
      expect(volumes[1]).toContain('<unset>');

      // -o json, -o name and other kinds are as before.
      expect(JSON.parse((await sandbox.kubectl(['get', 'pods', '-o', 'json'])).stdout).items).toHaveLength(1);
      expect((await sandbox.kubectl(['get', 'configmaps', '-A'])).exitCode).toBe(0);
    });
  },
);

describe('age', () => {
  it('is short, as kubectl shows it', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(age('2026-12-02T11:59:15Z', now)).toBe('45s');
    expect(age('2026-12-02T11:55:30Z', now)).toBe('4m30s');
    expect(age('2026-12-02T11:00:00Z', now)).toBe('60m');
    expect(age('2026-12-02T00:00:00Z', now)).toBe('12h');
    expect(age('2026-11-25T12:00:00Z', now)).toBe('7d');
    expect(age(undefined, now)).toBe('<unknown>');
  });
});
