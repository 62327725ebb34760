import { join } from 'node:path';

/** Where kubectl.prepare_restore writes, and kubectl.restore_volumes and kubectl.verify_volumes read. */
export function restoreFiles(dir: string, suffix = '-restore'): { volumes: string; claims: string; report: string } {
  return {
    volumes: join(dir, `pv${suffix}.json`),
    claims: join(dir, `pvc${suffix}.json`),
    report: join(dir, suffix === '-restore' ? 'restore-report.json' : `restore-report${suffix}.json`),
  };
}
