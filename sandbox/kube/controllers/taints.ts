import type { KubeObject } from '../object-store.js';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
}

/** The taint kubeadm (and so Kubespray) puts on control-plane nodes: only pods that tolerate it run there. */
export const controlPlaneTaint: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** As the scheduler's TaintToleration filter: one toleration matches the taint's key, value and effect. */
function tolerated(taint: Taint, tolerations: Toleration[]): boolean {
  return tolerations.some((toleration) => {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
  });
}

/** Whether a pod (its spec) may be placed on the node: every NoSchedule and NoExecute taint is tolerated. */
export function toleratesNode(podSpec: KubeObject['spec'] | undefined, node: KubeObject): boolean {
  const tolerations = (podSpec?.tolerations ?? []) as Toleration[];
  return ((node.spec?.taints ?? []) as Taint[])
    .filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')
    .every((taint) => tolerated(taint, tolerations));
}
