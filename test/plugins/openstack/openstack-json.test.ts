import { describe, expect, it } from 'vitest';
import { openstackJsonBatch } from '../../../runner/plugins/openstack/openstack-json.js';
import { fakeProbeIO } from '../../helpers/fake-probe-io.js';

describe('several read-only openstack commands in one client process', () => {
  it("sends each as a line of the client's interactive mode, on the site's cloud, and reads one JSON line per answer", async () => {
    const asked: { argv: string[]; env?: Record<string, string>; input?: string }[] = [];
    const io = fakeProbeIO({
      run: async (argv, options) => {
        asked.push({ argv, ...options });
        return { exitCode: 0, stdout: '[{"ID": "v1"}]\n[]\n\n', stderr: '' };
      },
    });
    const answers = await openstackJsonBatch(io, { cloud: 'site' }, [
      ['volume', 'list', '--long'],
      ['volume', 'snapshot', 'list', '--long'],
    ]);
    expect(answers).toEqual([[{ ID: 'v1' }], []]);
    expect(asked).toEqual([
      {
        argv: ['openstack'],
        env: { OS_CLOUD: 'site' },
        input: 'volume list --long --format json --noindent\nvolume snapshot list --long --format json --noindent\n',
      },
    ]);
  });

  it("fails with the client's words when a command printed no answer", async () => {
    const io = fakeProbeIO({
      run: async () => ({
        exitCode: 0,
        stdout: '[]\n',
        stderr: 'Missing value auth-url required for auth plugin password\n',
      }),
    });
    await expect(
      openstackJsonBatch(io, {}, [
        ['volume', 'list'],
        ['limits', 'show', '--absolute'],
      ]),
    ).rejects.toThrow(
      'openstack (volume list, limits show) failed: Missing value auth-url required for auth plugin password',
    );
  });
});
