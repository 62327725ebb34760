import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { controlPlaneVersions, findControlPlane } from '../../../sandbox/control-plane/control-plane-binaries.js';
import { tempDir } from '../../helpers/temp-dir.js';

const pinned = controlPlaneVersions();

/** A cache folder as the build leaves it, each binary a script that prints what kube-apiserver --version prints. */
async function builtCache(): Promise<string> {
  const files: Record<string, string> = {};
  for (const [component, version, names] of [
    ['kubernetes', pinned.kubernetes, ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']],
    ['etcd', pinned.etcd, ['etcd']],
    ['kwok', pinned.kwok, ['kwok', 'stages.yaml']],
  ] as const)
    for (const name of names)
      files[`${component}-${version}/bin/${name}`] = `#!/bin/sh\necho "Kubernetes ${pinned.kubernetes}"\n`;
  const dir = await tempDir(files);
  for (const name of Object.keys(files)) chmodSync(`${dir}/${name}`, 0o755);
  return dir;
}

describe('finding the control plane', () => {
  it("takes the build's binaries at the pinned releases", async () => {
    const cache = await builtCache();
    const found = findControlPlane({ JHUB_CONTROL_PLANE_CACHE: cache });
    expect('found' in found && found.found.kubeApiserver).toBe(
      `${cache}/kubernetes-${pinned.kubernetes}/bin/kube-apiserver`,
    );
    expect('found' in found && found.found.versions).toEqual(pinned);
  });

  it("takes etcd and kube-apiserver from KUBEBUILDER_ASSETS (setup-envtest's), and serves the release that API server reports", async () => {
    const cache = await builtCache();
    const assets = await tempDir({
      'kube-apiserver': '#!/bin/sh\necho "Kubernetes v1.33.2"\n',
      etcd: '#!/bin/sh\n',
      kubectl: '#!/bin/sh\n',
    });
    chmodSync(`${assets}/kube-apiserver`, 0o755);
    const found = findControlPlane({ JHUB_CONTROL_PLANE_CACHE: cache, KUBEBUILDER_ASSETS: assets });
    if (!('found' in found)) throw new Error(found.missing);
    expect(found.found.kubeApiserver).toBe(`${assets}/kube-apiserver`);
    expect(found.found.etcd).toBe(`${assets}/etcd`);
    expect(found.found.kubeScheduler).toBe(`${cache}/kubernetes-${pinned.kubernetes}/bin/kube-scheduler`);
    expect(found.found.versions.kubernetes).toBe('v1.33.2');
  });

  it('takes the paths the inventory names over both, and says which named path does not exist', async () => {
    const cache = await builtCache();
    const own = await tempDir({ 'kube-scheduler': '#!/bin/sh\n' });
    const found = findControlPlane({ JHUB_CONTROL_PLANE_CACHE: cache }, { kubeScheduler: `${own}/kube-scheduler` });
    expect('found' in found && found.found.kubeScheduler).toBe(`${own}/kube-scheduler`);

    const missing = findControlPlane({ JHUB_CONTROL_PLANE_CACHE: cache }, { etcd: `${own}/etcd` });
    expect(missing).toEqual({ missing: `${own}/etcd (named in the inventory or KUBEBUILDER_ASSETS) do not exist` });
  });

  it('names what is not built and the command that builds it', async () => {
    const empty = await tempDir();
    const found = findControlPlane({ JHUB_CONTROL_PLANE_CACHE: empty });
    expect('missing' in found && found.missing).toMatch(
      /kube-apiserver.*not built; npm run build:control-plane builds them \(Go and its module proxy needed\)$/,
    );
  });
});
