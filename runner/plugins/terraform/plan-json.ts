/** One resource change of `terraform show -json PLANFILE`. */
export interface PlannedChange {
  address: string;
  type: string;
  actions: string[];
  /** Why, when terraform says (`replace_because_tainted`: a create that failed halfway is made again). */
  reason?: string;
  /** What the resource is: its values before the change (after, for a create). */
  values: Record<string, unknown>;
}

/** One resource of a state as `show -json` prints it (the plan's prior state, or `show -json` alone). */
export interface ShownResource {
  address: string;
  mode: string;
  type: string;
  values: Record<string, unknown>;
  dependsOn: string[];
}

interface ShownModule {
  resources?: {
    address: string;
    mode: string;
    type: string;
    values?: Record<string, unknown>;
    depends_on?: string[];
  }[];
  child_modules?: ShownModule[];
}

/** The JSON a `show -json` printed, or an error saying it was not JSON. */
export function parseShown(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`terraform show -json printed something that is not JSON: ${text.slice(0, 200)}`);
  }
}

export function plannedChanges(plan: Record<string, unknown>): PlannedChange[] {
  const changes = (plan['resource_changes'] ?? []) as {
    address: string;
    mode?: string;
    type: string;
    action_reason?: string;
    change: { actions: string[]; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
  }[];
  return changes
    .filter((change) => change.mode !== 'data')
    .map((change) => ({
      address: change.address,
      type: change.type,
      actions: change.change.actions,
      ...(change.action_reason ? { reason: change.action_reason } : {}),
      values: change.change.before ?? change.change.after ?? {},
    }));
}

function flatten(module: ShownModule | undefined): ShownResource[] {
  if (!module) return [];
  const own = (module.resources ?? []).map((resource) => ({
    address: resource.address,
    mode: resource.mode,
    type: resource.type,
    values: resource.values ?? {},
    dependsOn: resource.depends_on ?? [],
  }));
  return [...own, ...(module.child_modules ?? []).flatMap(flatten)];
}

/** The managed resources of a state shown as JSON: `show -json` alone, or a plan's `prior_state`. */
export function shownResources(shown: Record<string, unknown>): ShownResource[] {
  const values = (shown['values'] ?? (shown['prior_state'] as Record<string, unknown> | undefined)?.['values']) as
    { root_module?: ShownModule } | undefined;
  return flatten(values?.root_module).filter((resource) => resource.mode === 'managed');
}

/** A compute instance: OpenStack's, or one of the sandbox's terraform_data whose input says it is one. */
export function isInstance(resource: { type: string; values: Record<string, unknown> }): boolean {
  if (resource.type.includes('compute_instance')) return true;
  const input = resource.values['input'] as { kind?: unknown } | undefined;
  return resource.type === 'terraform_data' && input?.kind === 'instance';
}

/**
 * A floating IP: OpenStack's (networking or compute; an association is not one, and may go), or one
 * of the sandbox's terraform_data whose input says it is one.
 */
export function isFloatingIp(resource: { type: string; values: Record<string, unknown> }): boolean {
  if (/floatingip/.test(resource.type)) return !/associate/.test(resource.type);
  const input = resource.values['input'] as { kind?: unknown } | undefined;
  return resource.type === 'terraform_data' && input?.kind === 'floatingip';
}

/** How an instance is known to people: its name, with its address. */
export function instanceLabel(resource: { address: string; values: Record<string, unknown> }): string {
  const input = resource.values['input'] as { name?: unknown } | undefined;
  const name = resource.values['name'] ?? input?.name;
  return name ? `${String(name)} (${resource.address})` : resource.address;
}
