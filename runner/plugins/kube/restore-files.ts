import { join } from 'node:path';

/** The restore files' suffix when a step names none: pv-restore.json and pvc-restore.json. */
export const defaultRestoreSuffix = '-restore';

/** Where kubectl.prepare_restore writes, and kubectl.restore_volumes and kubectl.verify_volumes read. */
export function restoreFiles(
  dir: string,
  suffix = defaultRestoreSuffix,
): { volumes: string; claims: string; report: string } {
  return {
    volumes: join(dir, `pv${suffix}.json`),
    claims: join(dir, `pvc${suffix}.json`),
    report: join(dir, suffix === defaultRestoreSuffix ? 'restore-report.json' : `restore-report${suffix}.json`),
  };
}
