import { readClusterState, writeInstall } from './cluster-state.js';

/**
 * Kubespray for the simulated cloud: `cluster.yml` installs Kubernetes on the instances terraform
 * made (a fresh, empty cluster), `scale.yml` joins or removes workers. The sandbox sets the two
 * directories in the environment.
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
  if (playbook === 'cluster.yml') {
    const fresh = state.install?.controlPlaneId !== state.controlPlane.id;
    await writeInstall(stateDir, {
      controlPlaneId: state.controlPlane.id,
      nodes,
      installedAt: state.install && !fresh ? state.install.installedAt : new Date().toISOString(),
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
  console.error(`sim-kubespray knows cluster.yml and scale.yml, not ${playbook ?? argv.join(' ')}`);
  return 2;
}
