import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { releaseChartMeta } from '../../../runner/plugins/kube/release-chart-meta.js';

/** A release Secret as helm writes it: the release JSON gzipped, base64, inside the Secret's own base64. */
const releaseSecret = (release: object) => ({
  data: {
    release: Buffer.from(gzipSync(Buffer.from(JSON.stringify(release))).toString('base64')).toString('base64'),
  },
});

describe('releaseChartMeta', () => {
  it("reads the chart's name, version and kubeVersion, and nothing of the values", () => {
    const secret = releaseSecret({
      chart: { metadata: { name: 'jupyterhub', version: '4.2.0', kubeVersion: '>=1.28.0-0' } },
      config: { proxy: { secretToken: 'canary-73a' } },
    });
    expect(releaseChartMeta(secret)).toEqual({ chart: 'jupyterhub-4.2.0', kubeVersion: '>=1.28.0-0' });
    expect(JSON.stringify(releaseChartMeta(secret))).not.toContain('canary-73a');
  });

  it('is undefined for no Secret, a Secret of something else, and a chart that sets no kubeVersion says so', () => {
    expect(releaseChartMeta(undefined)).toBeUndefined();
    expect(releaseChartMeta({ data: { release: Buffer.from('not gzip').toString('base64') } })).toBeUndefined();
    expect(releaseChartMeta(releaseSecret({ chart: { metadata: { name: 'tiny', version: '0.1.0' } } }))).toEqual({
      chart: 'tiny-0.1.0',
      kubeVersion: undefined,
    });
  });
});
