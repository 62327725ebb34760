import type { PluginStep } from '../load/plugin-step.js';
import type { StepEffects } from '../plugin-contract/contract.js';
import { pendingRestoreRefusal, type PendingRestores } from './pending-restores.js';

/**
 * Before the first step: a run that would install JupyterHub into a namespace whose restore is pending,
 * with no step of its own verifying that restore first, that would open a second restore of it, or that would
 * delete cloud volumes while any restore is pending, is refused.
 */
export function pendingRestoreConflict(
  steps: readonly PluginStep[],
  effects: ReadonlyMap<number, StepEffects>,
  restores: PendingRestores,
  runId: string,
  siteArgs: string,
  command = 'run',
): string | undefined {
  const verified = new Set<string>();
  const pending = restores.list();
  for (const step of steps) {
    const effect = effects.get(step.index);
    if (!effect) continue;
    if (effect.restore?.state === 'verified') verified.add(effect.restore.namespace);
    if (effect.restore?.state === 'pending') {
      const open = restores.get(effect.restore.namespace);
      if (open && open.runId !== runId) {
        return `refused to back up ${open.namespace} for a new restore: one is already pending since ${open.since} (run ${open.runId} of ${open.playbook}, backup ${open.backupDir}); a new backup now would be of a cluster that does not hold the claims yet. Finish that one with: ${command} ${open.playbook} ${siteArgs}--resume`;
      }
    }
    if (effect.destroys?.cloudVolumes && pending.length > 0) {
      const open = pending[0]!;
      return `refused to delete Cinder volumes (step '${step.name}'): a restore of ${open.namespace} is pending since ${open.since} (run ${open.runId} of ${open.playbook}, backup ${open.backupDir}), and until it is done its users' volumes have no PV either. Finish it first with: ${command} ${open.playbook} ${siteArgs}--resume`;
    }
    if (effect.deploysInto !== undefined && !verified.has(effect.deploysInto)) {
      const open = restores.get(effect.deploysInto);
      if (open) return `${pendingRestoreRefusal(open, siteArgs, command)} (step '${step.name}')`;
    }
  }
  return undefined;
}
