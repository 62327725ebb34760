import type { AnyPlugin } from '../plugin-contract/contract.js';
import { assertPlugin } from './assert.js';
import { commandPlugin } from './command.js';
import { helmReleasePlugin } from './helm-release.js';
import { helmRepoPlugin } from './helm-repo.js';
import { helmUninstallPlugin } from './helm-uninstall.js';
import { helmRollbackPlugin } from './helm-rollback.js';
import { kubectlCheckKubeUpgradePlugin } from './kubectl-check-kube-upgrade.js';
import { helmStatusPlugin } from './helm-status.js';
import { kubectlApplyPlugin } from './kubectl-apply.js';
import { kubectlBackupVolumesPlugin } from './kubectl-backup-volumes.js';
import { kubectlRetainVolumesPlugin } from './kubectl-retain-volumes.js';
import { kubectlVerifyVolumesPlugin } from './kubectl-verify-volumes.js';
import { kubectlPrepareRestorePlugin } from './kubectl-prepare-restore.js';
import { kubectlRestoreVolumesPlugin } from './kubectl-restore-volumes.js';
import { kubectlDeletePlugin } from './kubectl-delete.js';
import { kubectlReleaseClaimPlugin } from './kubectl-release-claim.js';
import { kubectlGetPlugin } from './kubectl-get.js';
import { kubectlPatchPlugin } from './kubectl-patch.js';
import { kubectlWaitPlugin } from './kubectl-wait.js';
import { kubectlTlsSecretPlugin } from './kubectl-tls-secret.js';
import { kubectlCheckHttpsModePlugin } from './kubectl-check-https-mode.js';
import { manifestEditPlugin } from './manifest-edit.js';
import { secretsGeneratePlugin } from './secrets-generate.js';
import { templateRenderPlugin } from './template-render.js';
import { terraformApplyPlugin } from './terraform-apply.js';
import { terraformDestroyPlugin } from './terraform-destroy.js';
import { terraformInitPlugin } from './terraform-init.js';
import { terraformOutputPlugin } from './terraform-output.js';
import { waitUntilPlugin } from './wait-until.js';
import { importPlaybookPlugin } from './import-playbook.js';
import { openstackCheckVolumesPlugin } from './openstack-check-volumes.js';
import { openstackOrphanedVolumesPlugin } from './openstack-orphaned-volumes.js';
import { openstackSnapshotVolumesPlugin } from './openstack-snapshot-volumes.js';
import { openstackVerifySnapshotsPlugin } from './openstack-verify-snapshots.js';
import { openstackSnapshotsPlugin } from './openstack-snapshots.js';
import { openstackVolumeFromSnapshotPlugin } from './openstack-volume-from-snapshot.js';

/** Every plugin a playbook step can name, keyed by the step key that selects it. */
export const builtinPlugins: readonly AnyPlugin[] = [
  assertPlugin,
  commandPlugin,
  manifestEditPlugin,
  secretsGeneratePlugin,
  templateRenderPlugin,
  waitUntilPlugin,
  helmRepoPlugin,
  helmReleasePlugin,
  helmUninstallPlugin,
  helmRollbackPlugin,
  helmStatusPlugin,
  kubectlApplyPlugin,
  kubectlTlsSecretPlugin,
  kubectlCheckHttpsModePlugin,
  kubectlCheckKubeUpgradePlugin,
  kubectlGetPlugin,
  kubectlPatchPlugin,
  kubectlDeletePlugin,
  kubectlReleaseClaimPlugin,
  kubectlWaitPlugin,
  kubectlBackupVolumesPlugin,
  kubectlRetainVolumesPlugin,
  kubectlPrepareRestorePlugin,
  kubectlRestoreVolumesPlugin,
  kubectlVerifyVolumesPlugin,
  terraformInitPlugin,
  terraformApplyPlugin,
  terraformDestroyPlugin,
  terraformOutputPlugin,
  openstackCheckVolumesPlugin,
  openstackOrphanedVolumesPlugin,
  openstackSnapshotVolumesPlugin,
  openstackVerifySnapshotsPlugin,
  openstackSnapshotsPlugin,
  openstackVolumeFromSnapshotPlugin,
  importPlaybookPlugin,
];

export function pluginByName(plugins: readonly AnyPlugin[]): Map<string, AnyPlugin> {
  return new Map(plugins.map((plugin) => [plugin.name, plugin]));
}
