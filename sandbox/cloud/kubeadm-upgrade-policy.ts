const parts = (version: string) => version.replace(/^v/, '').split('.').map(Number) as [number, number, number];

/**
 * What `kubeadm upgrade apply` refuses (cmd/kubeadm/app/phases/upgrade/policy.go), which Kubespray's
 * upgrade runs on the control plane: a target more than one minor ahead, or any downgrade.
 */
export function kubeadmUpgradeRefusal(cluster: string, target: string): string | undefined {
  const [from, to] = [parts(cluster), parts(target)];
  const header = '[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n\t- ';
  if (to[0] !== from[0] || to[1] - from[1] > 1)
    return `${header}Specified version to upgrade to "${target}" is too high; kubeadm can upgrade only 1 minor version at a time`;
  if (to[1] < from[1] || (to[1] === from[1] && to[2] < from[2]))
    return `${header}Specified version to upgrade to "${target}" is lower than the cluster version "${cluster}". Downgrades are not supported yet`;
  return undefined;
}
