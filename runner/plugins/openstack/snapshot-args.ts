import { Type } from '@sinclair/typebox';
import { namespaceName } from '../../input/kube-names.js';

/** What every step about a run's snapshots names: the namespace's volumes, the namespace, and the run. */
export function snapshotArgs(backupDir: string, namespace: string) {
  return {
    backup_dir: Type.String({ minLength: 1, description: backupDir }),
    namespace: namespaceName(namespace),
    run: Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description:
        "The run the snapshots belong to (the playbooks give run_id): in each snapshot's name and properties.",
    }),
  };
}
