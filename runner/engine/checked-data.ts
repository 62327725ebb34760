import type { AnyPlugin, StepPlan } from '../plugin-contract/contract.js';
import { resultKeys } from './step-result.js';

/** A plan that keeps to what its plugin declares, which `run doc` prints: data only under the keys it `registers` (none a result's own), a destruction only from a plugin that `destroys`. */
export function checkedData(plugin: AnyPlugin, plan: StepPlan): StepPlan {
  const declared = plugin.registers ?? {};
  const wrong = Object.keys(plan.data ?? {}).filter(
    (key) => !Object.hasOwn(declared, key) || (resultKeys as readonly string[]).includes(key),
  );
  if (plan.destroys && plugin.destroys === undefined)
    throw new Error(`${plugin.name} plans to destroy ${plan.destroys.what}, but does not say it may destroy`);
  if (wrong.length > 0)
    throw new Error(
      `${plugin.name} registers ${wrong.join(', ')}, which it does not declare, or which a result already has`,
    );
  return plan;
}
