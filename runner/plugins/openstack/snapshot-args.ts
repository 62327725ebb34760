import { Type } from '@sinclair/typebox';
import { namespaceName } from '../../input/kube-names.js';

const runIdPattern = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

/** What every step about a run's snapshots names: the namespace's volumes, the namespace, and the run. */
export function snapshotArgs(backupDir: string, namespace: string) {
  return {
    backup_dir: Type.String({ minLength: 1, description: backupDir }),
    namespace: namespaceName(namespace),
    run: snapshotRun(
      "The run the snapshots belong to (the playbooks give run_id): in each snapshot's name and properties.",
    ),
  };
}

/** A run's ID as it names its snapshots: a plain name, as run_id is. */
export function snapshotRun(description: string) {
  return Type.String({ minLength: 1, pattern: runIdPattern, description });
}
