import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runApp } from '../helpers/run-app.js';
import { sandboxSiteCopy } from '../helpers/sandbox-site-copy.js';
import { siteObject, siteObjects } from '../helpers/site-objects.js';
import { floatingIpOf } from '../helpers/cloud-records.js';

const deploy = fileURLToPath(new URL('../../playbooks/deploy-jhub.yml', import.meta.url));

describe.each(['v33', 'v30'] as const)('deploy-jhub and the cloud\'s load balancer (toolchain %s)', (toolchain) => {
  it('the chart\'s LoadBalancer proxy-public gets the site\'s floating IP, and the hub deploys', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' } });
    const run = await runApp([deploy, '-i', site]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const service = siteObject(site, 'Service', 'proxy-public', 'jhub')!;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.status.loadBalancer.ingress[0].ip).toBe(floatingIpOf(site)!.address);
    expect(run.stdout).toContain(`load balancer jhub/proxy-public: at ${floatingIpOf(site)!.address}`);
  });

  it('on a cloud without a load-balancer provider, the address stays pending: helm 3\'s wait fails naming proxy-public and its missing address; helm 4\'s does not wait for it', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' }, cloud: { load_balancer: false } });
    const run = await runApp([deploy, '-i', site, '-e', 'helm_timeout=15s']);
    expect(run.stdout).toContain('load balancer jhub/proxy-public: address pending');
    if (toolchain === 'v30') {
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/failed .*Not ready: Service proxy-public is type LoadBalancer and has no external address yet/);
    } else {
      // helm 4 waits with kstatus, which asks a LoadBalancer Service for a cluster IP only.
      expect(run.code, run.stdout + run.stderr).toBe(0);
    }
  }, 120_000);
});

describe('a chart gated on the Kubernetes version', () => {
  it('is refused by helm on the v30 sandbox, which reports 1.30, with helm\'s own message as the step\'s reason', async () => {
    const site = await sandboxSiteCopy({ toolchain: 'v30', seed: { users: 1, namespace: 'jhub' } });
    const chart = `${site}/../gated`;
    mkdirSync(`${chart}/templates`, { recursive: true });
    writeFileSync(`${chart}/Chart.yaml`, 'apiVersion: v2\nname: gated\nversion: 0.1.0\nkubeVersion: ">=1.32.0-0"\n');
    writeFileSync(`${chart}/templates/cm.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gated}\ndata: {a: b}\n');
    const playbook = `${site}/../gated.yml`;
    writeFileSync(playbook, `name: gated\nsteps:\n  - name: Install the gated chart\n    helm.release: {release: gated, chart: ${chart}, namespace: jhub, timeout: 30s}\n`);
    const run = await runApp([playbook, '-i', site]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed .*chart requires kubeVersion: >=1\.32\.0-0 which is incompatible with Kubernetes v1\.30\.0-sim/);
  });
});

describe.each(['v33', 'v30'] as const)('a workload whose image the registry does not have (toolchain %s)', (toolchain) => {
  it('stays in ImagePullBackOff, and deploy-jhub fails naming the pod and its event', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' } });
    writeFileSync(`${site}/config.yaml`, `${readFileSync(`${site}/config.yaml`, 'utf8')}  image:\n    tag: "4.2.0-typo"\n`);
    const run = await runApp([deploy, '-i', site, '-e', 'helm_timeout=10s']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/Not ready: .*Pod hub-\S+ is not ready \(Pending, ImagePullBackOff\): (Failed: Failed to pull|BackOff: Back-off pulling) image "quay\.io\/jupyterhub\/k8s-hub:4\.2\.0-typo"/);
    const hub = siteObjects(site).find((object) => object.kind === 'Pod' && String(object.metadata.name).startsWith('hub-'));
    expect(hub.status.containerStatuses[0].state.waiting.reason).toBe('ImagePullBackOff');
  }, 120_000);

  it("a user image tag the registry does not have holds the image pullers in Init:ImagePullBackOff, as the released chart's pullers do, and deploy-jhub names it", async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' } });
    const config = readFileSync(`${site}/config.yaml`, 'utf8');
    writeFileSync(`${site}/config.yaml`, config.replace('singleuser:\n', 'singleuser:\n  image:\n    tag: "4.2.0-typo"\n'));
    const run = await runApp([deploy, '-i', site, '-e', 'helm_timeout=10s']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/Not ready: .*Pod continuous-image-puller-\S+ is not ready \(Pending, Init:ImagePullBackOff\): (Failed: Failed to pull|BackOff: Back-off pulling) image "quay\.io\/jupyterhub\/k8s-singleuser-sample:4\.2\.0-typo"/);
    const puller = siteObjects(site).find((object) => object.kind === 'Pod' && String(object.metadata.name).startsWith('continuous-image-puller-'));
    expect(puller.status.initContainerStatuses.map((status: any) => Object.keys(status.state)[0])).toEqual(['terminated', 'waiting']);
    expect(puller.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
  }, 120_000);

  it('pulls when the site says its registry has it (sandbox.images)', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' }, images: ['quay.io/jupyterhub/k8s-hub:4.2.0-typo'] });
    writeFileSync(`${site}/config.yaml`, `${readFileSync(`${site}/config.yaml`, 'utf8')}  image:\n    tag: "4.2.0-typo"\n`);
    const run = await runApp([deploy, '-i', site]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 120_000);
});

describe.each(['v33', 'v30'] as const)('a workload the site makes fail (toolchain %s)', (toolchain) => {
  it('a hub that never passes its readiness probe fails deploy-jhub, naming the pod and the kubelet\'s event', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' }, workloads: { not_ready: ['hub'] } });
    const run = await runApp([deploy, '-i', site, '-e', 'helm_timeout=10s']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/Not ready: .*Pod hub-\S+ is not ready \(Running\): Unhealthy: Readiness probe failed: Get "http:\/\/10\.233\.64\.\d+:8081\/hub\/health": dial tcp 10\.233\.64\.\d+:8081: connect: connection refused/);
    const hub = siteObjects(site).find((object) => object.kind === 'Pod' && String(object.metadata.name).startsWith('hub-'));
    expect(hub.status.conditions.find((condition: { type: string }) => condition.type === 'Ready').status).toBe('False');
  }, 120_000);

  it('an image-puller hook Job that fails stops the install with helm\'s own words, after the time the site gives Jobs', async () => {
    const site = await sandboxSiteCopy({ toolchain, seed: { users: 1, namespace: 'jhub' }, workloads: { job_seconds: 1, failing_jobs: ['hook-image-awaiter'] } });
    const run = await runApp([deploy, '-i', site, '-e', 'helm_timeout=30s']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/failed .*pre-install[\s\S]*Not ready: Pod hook-image-awaiter-[a-z0-9]{5} is not ready \(Failed\); Job hook-image-awaiter failed \(BackoffLimitExceeded\): Job has reached the specified backoff limit/);
  }, 120_000);
});
