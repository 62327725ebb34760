import type { StepPlan } from '../plugin-contract/contract.js';

/** Mode of a file the runner writes that holds a secret, when the step sets none. */
export const secretFileMode = 0o600;

/**
 * Settles the mode of each file a plan writes before it is shown or written: the step's own mode, else
 * 0600 when the content holds a secret, else the mode of the file it was made from; none left means the
 * file keeps its mode (a new one gets 0644).
 */
export function withWriteModes(plan: StepPlan, holdsSecret: (text: string) => boolean): StepPlan {
  if (!plan.actions.some((action) => action.kind === 'write')) return plan;
  const actions = plan.actions.map((action) => {
    if (action.kind !== 'write' || action.mode !== undefined) return action;
    const { baseMode, ...rest } = action;
    const mode = holdsSecret(action.content) ? secretFileMode : baseMode;
    return mode === undefined ? rest : { ...rest, mode };
  });
  return { ...plan, actions };
}
