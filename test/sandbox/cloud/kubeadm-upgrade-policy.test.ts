import { describe, expect, it } from 'vitest';
import { kubeadmUpgradeRefusal } from '../../../sandbox/cloud/kubeadm-upgrade-policy.js';

describe('kubeadmUpgradeRefusal', () => {
  it('takes a patch or the next minor, and refuses two minors up or any step back in kubeadm’s words', () => {
    expect(kubeadmUpgradeRefusal('v1.33.9', 'v1.33.10')).toBeUndefined();
    expect(kubeadmUpgradeRefusal('v1.33.9', 'v1.34.0')).toBeUndefined();
    expect(kubeadmUpgradeRefusal('v1.33.9', 'v1.35.1')).toBe(
      '[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n\t- Specified version to upgrade to "v1.35.1" is too high; kubeadm can upgrade only 1 minor version at a time',
    );
    expect(kubeadmUpgradeRefusal('v1.33.9', 'v2.0.0')).toMatch(/is too high/);
    for (const lower of ['v1.33.8', 'v1.32.12'])
      expect(kubeadmUpgradeRefusal('v1.33.9', lower)).toMatch(
        /is lower than the cluster version "v1\.33\.9"\. Downgrades are not supported/,
      );
  });
});
