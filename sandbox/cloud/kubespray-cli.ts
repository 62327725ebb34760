import { readClusterState, writeInstall } from './cluster-state.js';
import { kubeadmUpgradeRefusal } from './kubeadm-upgrade-policy.js';

/** `-e kube_version=v1.34.2` (or `-e kube_version=1.34.2`), as Kubespray's inventory variable. */
function kubeVersionOf(argv: string[]): string | undefined {
  for (const [index, word] of argv.entries()) {
    const pair = word.startsWith('kube_version=') ? word : argv[index - 1] === '-e' ? word : '';
    const match = /^kube_version=v?(\d+\.\d+\.\d+)$/.exec(pair);
    if (match) return `v${match[1]}`;
  }
  return undefined;
}

/**
 * Kubespray for the simulated cloud: `cluster.yml` installs Kubernetes on the instances terraform
 * made (a fresh, empty cluster), `scale.yml` joins or removes workers, `upgrade-cluster.yml` moves
 * every node to a new `kube_version` one by one, refusing what kubeadm refuses. The sandbox sets the
 * two directories and its default release in the environment.
 */
export async function kubesprayCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const stateDir = env['JHUB_SANDBOX_STATE_DIR'];
  const terraformDir = env['JHUB_SANDBOX_TERRAFORM_DIR'];
  const playbook = argv.find((word) => word.endsWith('.yml'));
  if (!stateDir || !terraformDir) {
    console.error(
      'sim-kubespray runs only inside the sandbox (JHUB_SANDBOX_STATE_DIR and JHUB_SANDBOX_TERRAFORM_DIR are not set)',
    );
    return 2;
  }
  const state = readClusterState(terraformDir, stateDir);
  if (!state.controlPlane) {
    console.error(
      'fatal: [k8s-master]: UNREACHABLE! => {"msg": "no control-plane instance exists; run terraform apply first"}',
    );
    return 2;
  }
  const nodes = [state.controlPlane.name, ...state.workers];
  const asked = kubeVersionOf(argv);
  const installed = state.install?.kubeVersion ?? env['JHUB_SANDBOX_KUBE_VERSION'];
  if (playbook === 'cluster.yml') {
    const fresh = state.install?.controlPlaneId !== state.controlPlane.id;
    const kubeVersion = asked ?? (fresh ? undefined : state.install?.kubeVersion);
    await writeInstall(stateDir, {
      controlPlaneId: state.controlPlane.id,
      nodes,
      installedAt: state.install && !fresh ? state.install.installedAt : new Date().toISOString(),
      ...(kubeVersion ? { kubeVersion } : {}),
    });
    console.log(
      `PLAY RECAP *********************************************************************\n${nodes.map((node) => `${node} : ok=512 changed=${fresh ? 128 : 0} unreachable=0 failed=0`).join('\n')}`,
    );
    return 0;
  }
  if (playbook === 'scale.yml') {
    if (!state.up) {
      console.error('fatal: Kubernetes is not installed on this control plane; run cluster.yml first');
      return 2;
    }
    await writeInstall(stateDir, { ...state.install!, nodes });
    console.log(
      `PLAY RECAP *********************************************************************\n${nodes.map((node) => `${node} : ok=300 changed=0 unreachable=0 failed=0`).join('\n')}`,
    );
    return 0;
  }
  if (playbook === 'upgrade-cluster.yml') {
    if (!state.up) {
      console.error('fatal: Kubernetes is not installed on this control plane; run cluster.yml first');
      return 2;
    }
    if (!asked || !installed) {
      console.error('fatal: [k8s-master]: FAILED! => {"msg": "upgrade-cluster.yml needs -e kube_version=vX.Y.Z"}');
      return 2;
    }
    const refusal = kubeadmUpgradeRefusal(installed, asked);
    if (refusal) {
      console.error(
        `fatal: [${state.controlPlane.name}]: FAILED! => {"cmd": "kubeadm upgrade apply -y ${asked}", "rc": 1, "stderr": ${JSON.stringify(refusal)}}`,
      );
      return 2;
    }
    // Kubespray upgrades the control plane, then each worker: cordon, drain, kubelet, uncordon.
    for (const node of nodes)
      console.log(
        `TASK [upgrade/pre-upgrade : Cordon and drain ${node}] ok\nTASK [kubernetes/node : Install kubelet ${asked} on ${node}] changed\nTASK [upgrade/post-upgrade : Uncordon ${node}] changed`,
      );
    await writeInstall(stateDir, { ...state.install!, nodes, kubeVersion: asked });
    console.log(
      `PLAY RECAP *********************************************************************\n${nodes.map((node) => `${node} : ok=640 changed=${asked === installed ? 0 : 42} unreachable=0 failed=0`).join('\n')}`,
    );
    return 0;
  }
  console.error(
    `sim-kubespray knows cluster.yml, scale.yml and upgrade-cluster.yml, not ${playbook ?? argv.join(' ')}`,
  );
  return 2;
}
