import { addressMatches, destroyClosure, type StateInstance } from '../support/terraform-state.js';
import {
  blockDependencies,
  desiredAddresses,
  resourceAddress,
  type CloudConfig,
  type ResourceBlock,
} from './cloud-config.js';
import type { CloudState } from './cloud-state.js';

export interface PlannedCreate {
  address: string;
  resource: string;
  index?: number;
  block: ResourceBlock;
}

/** What an apply will do, in the order it does it: destroys (dependents first), then creates (dependencies first). */
export interface StandInPlan {
  lineage: string;
  serial: number;
  destroying: boolean;
  destroy: string[];
  create: PlannedCreate[];
  variables: Record<string, string | number>;
}

const matchesAny = (address: string, targets: readonly string[]) =>
  targets.some((target) => addressMatches(address, target));

/** The instances in an order where each comes after everything it depends on. */
function dependencyOrder<T extends { resource: string; dependencies: string[] }>(items: T[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  let left = [...items];
  while (left.length > 0) {
    const ready = left.filter((item) =>
      item.dependencies.every(
        (dependency) => placed.has(dependency) || !left.some((other) => other.resource === dependency),
      ),
    );
    const next = ready.length > 0 ? ready : [left[0]!];
    for (const item of next) ordered.push(item);
    for (const item of next) placed.add(item.resource);
    left = left.filter((item) => !next.includes(item));
  }
  return ordered;
}

/** A target also takes in what it depends on, as `-target` does for a create. */
function withDependencies(config: CloudConfig, targets: readonly string[]): string[] {
  const wanted = new Set(targets);
  for (let grew = true; grew;) {
    grew = false;
    for (const block of config.resources) {
      if (
        !matchesAny(resourceAddress(block), [...wanted]) &&
        ![...wanted].some((target) => target.startsWith(`${resourceAddress(block)}[`))
      )
        continue;
      for (const dependency of blockDependencies(block)) {
        if (wanted.has(dependency)) continue;
        wanted.add(dependency);
        grew = true;
      }
    }
  }
  return [...wanted];
}

export function computePlan(
  config: CloudConfig,
  state: CloudState,
  variables: Record<string, string | number>,
  targets: readonly string[],
  destroying: boolean,
): StandInPlan {
  const base = { lineage: state.lineage, serial: state.serial, destroying, variables };
  const managed = state.resources.filter((instance) => instance.mode === 'managed');
  if (destroying) {
    const chosen = targets.length ? [...targets] : managed.map((instance) => instance.address);
    const doomed = new Set(destroyClosure(managed, chosen));
    const order = dependencyOrder(managed.filter((instance) => doomed.has(instance.address))).reverse();
    return { ...base, destroy: order.map((instance) => instance.address), create: [] };
  }
  const inScope = (address: string) => targets.length === 0 || matchesAny(address, withDependencies(config, targets));
  const desired = desiredAddresses(config, variables);
  const wanted = new Set(desired.map((item) => item.address));
  const standing = new Set(managed.filter((instance) => !instance.tainted).map((instance) => instance.address));
  const goes = managed.filter(
    (instance) => (!wanted.has(instance.address) || instance.tainted) && inScope(instance.address),
  );
  const comes = desired
    .filter((item) => !standing.has(item.address) && inScope(item.address))
    .map((item) => ({
      address: item.address,
      resource: resourceAddress(item.block),
      ...(item.index !== undefined ? { index: item.index } : {}),
      block: item.block,
      dependencies: blockDependencies(item.block),
    }));
  return {
    ...base,
    destroy: dependencyOrder(goes as StateInstance[])
      .reverse()
      .map((instance) => instance.address),
    create: dependencyOrder(comes).map(({ dependencies: _dependencies, ...item }) => item),
  };
}

export function planSummary(
  plan: StandInPlan,
  state: CloudState,
): { add: number; destroy: number; replaced: Set<string> } {
  const tainted = new Set(state.resources.filter((instance) => instance.tainted).map((instance) => instance.address));
  const replaced = new Set(plan.create.map((item) => item.address).filter((address) => tainted.has(address)));
  return { add: plan.create.length, destroy: plan.destroy.length, replaced };
}
