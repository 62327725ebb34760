import { describe, expect, it } from 'vitest';
import { PlanError, PlanRefusal } from '../../runner/plugin-contract/plan-error.js';
import { openstackOrphanedVolumesPlugin as plugin } from '../../runner/plugins/openstack-orphaned-volumes.js';
import { fakeProbeIO } from '../helpers/fake-probe-io.js';

const hubDb = '11111111-1111-4111-8111-111111111111';
const home = '22222222-2222-4222-8222-222222222222';
const attached = '33333333-3333-4333-8333-333333333333';
const used = '44444444-4444-4444-8444-444444444444';

/** `openstack volume list --long -f json` rows, as the client prints them. */
const listRows = [
  {
    ID: hubDb,
    Name: 'pvc-old-hub-db',
    Status: 'available',
    Size: 1,
    'Attached to': [],
    Properties: { 'csi.storage.k8s.io/pvc/name': 'hub-db-dir', 'csi.storage.k8s.io/pvc/namespace': 'jhub' },
  },
  {
    ID: home,
    Name: 'kubernetes-dynamic-pvc-ada',
    Status: 'available',
    Size: 10,
    'Attached to': [],
    Properties: {
      'kubernetes.io/created-for/pvc/name': 'claim-ada',
      'kubernetes.io/created-for/pvc/namespace': 'grading',
    },
  },
  { ID: attached, Name: 'scratch', Status: 'in-use', Size: 5, 'Attached to': [{ server_id: 'vm-7' }], Properties: {} },
  {
    ID: used,
    Name: 'pvc-live',
    Status: 'in-use',
    Size: 10,
    'Attached to': [{ server_id: 'k8s-node-1' }],
    Properties: {},
  },
];
const pvs = {
  items: [
    {
      metadata: { name: 'pvc-live' },
      spec: { csi: { volumeHandle: used }, claimRef: { namespace: 'jhub', name: 'claim-bob' } },
    },
  ],
};

/** Answers kubectl and openstack as the real tools print, recording every argv. */
function cloudIO() {
  const calls: string[][] = [];
  const io = fakeProbeIO({
    run: async (argv) => {
      calls.push(argv);
      const answer = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' }) as any;
      if (argv[0] === 'kubectl') return answer(JSON.stringify(pvs));
      if (argv.includes('list')) return answer(JSON.stringify(listRows));
      return answer(
        JSON.stringify({
          created_at: `2026-11-0${listRows.findIndex((row) => row.ID === argv[argv.indexOf('show') + 1]) + 1}T10:00:00.000000`,
        }),
      );
    },
  });
  return { io, calls };
}

async function planFor(args: Record<string, unknown>) {
  const { io, calls } = cloudIO();
  const facts = await plugin.probe!(args as any, io);
  return { plan: () => plugin.plan(args as any, facts), calls };
}

describe('openstack.orphaned_volumes', () => {
  it('lists the volumes no PV uses, oldest first, with size, date and the claim each was made for, and deletes nothing', async () => {
    const { plan, calls } = await planFor({ cloud: 'site' });
    const result = plan();
    expect(result.change).toBe('none');
    expect(result.actions).toEqual([]);
    expect(result.reason).toBe('3 of 4 Cinder volume(s) have no PV (16 GiB); name those to remove in delete_volumes');
    expect(result.details).toEqual([
      `${hubDb} pvc-old-hub-db (1 GiB, created 2026-11-01, made for claim jhub/hub-db-dir)`,
      `${home} kubernetes-dynamic-pvc-ada (10 GiB, created 2026-11-02, made for claim grading/claim-ada): a user's home directory`,
      `${attached} scratch (5 GiB, created 2026-11-03, in-use, attached to server vm-7)`,
    ]);
    // One list, and a show only for each volume without a PV.
    expect(
      calls
        .filter((argv) => argv.includes('show'))
        .map((argv) => argv[argv.indexOf('show') + 1])
        .sort(),
    ).toEqual([hubDb, home, attached].sort());
    expect(calls.find((argv) => argv.includes('list'))).toEqual([
      'openstack',
      '--os-cloud',
      'site',
      'volume',
      'list',
      '--long',
      '--format',
      'json',
    ]);
  });

  it('deletes exactly the named volume by its ID, and says what goes in the confirmation', async () => {
    const { plan } = await planFor({ delete: [hubDb] });
    const result = plan();
    expect(result.change).toBe('delete');
    expect(result.actions).toEqual([{ kind: 'exec', argv: ['openstack', 'volume', 'delete', hubDb] }]);
    expect(result.destroys).toEqual({
      what: `Cinder volume(s) ${hubDb} pvc-old-hub-db (1 GiB, created 2026-11-01, made for claim jhub/hub-db-dir)`,
      cloudVolumes: true,
    });
  });

  it('takes names and a comma- or space-separated string, as -e gives it', async () => {
    const { plan } = await planFor({ delete: `pvc-old-hub-db, ${hubDb}` });
    expect(plan().actions).toEqual([{ kind: 'exec', argv: ['openstack', 'volume', 'delete', hubDb] }]);
  });

  it('refuses a volume a PV uses, naming the PV and its claim', async () => {
    const { plan } = await planFor({ delete: [used] });
    expect(plan).toThrow(PlanRefusal);
    expect(plan).toThrow(`PV pvc-live (claim jhub/claim-bob) uses it`);
  });

  it('refuses an attached volume, as Cinder would', async () => {
    const { plan } = await planFor({ delete: [attached] });
    expect(plan).toThrow(/attached to server vm-7\): Cinder deletes only an available, detached volume/);
  });

  it("refuses a user's home volume unless allow_user_volumes is set", async () => {
    expect((await planFor({ delete: [home] })).plan).toThrow(/made for a user's claim and holds their home directory/);
    expect((await planFor({ delete: [home], allow_user_volumes: true })).plan().actions[0]).toMatchObject({
      argv: ['openstack', 'volume', 'delete', home],
    });
  });

  it('names the closest unused volume for a mistyped ID', async () => {
    const { plan } = await planFor({ delete: [hubDb.slice(0, -2)] });
    expect(plan).toThrow(PlanError);
    expect(plan).toThrow(`did you mean '${hubDb}'?`);
  });

  it('takes a whole ID a character off a volume the cloud has for a typo, not for one deleted already', async () => {
    const typo = `${hubDb.slice(0, -1)}2`;
    const { plan } = await planFor({ delete: [typo] });
    expect(plan).toThrow(PlanError);
    expect(plan).toThrow(`no Cinder volume has the ID or name ${typo}; did you mean '${hubDb}'?`);
  });

  it('has nothing to do for a whole ID the cloud no longer has (deleted by an earlier run)', async () => {
    const gone = '55555555-5555-4555-8555-555555555555';
    const result = (await planFor({ delete: [gone] })).plan();
    expect(result.change).toBe('none');
    expect(result.reason).toBe(`nothing to delete; 1 named volume(s) no longer exist (deleted already): ${gone}`);
  });

  it('with only_check, checks the named volumes and marks them in the list, deleting nothing', async () => {
    const { plan } = await planFor({ delete: [hubDb], only_check: true });
    const result = plan();
    expect(result.change).toBe('none');
    expect(result.actions).toEqual([]);
    expect(result.details![0]).toMatch(/^delete 1111/);
    expect(result.details![1]).toMatch(/^keep   2222/);
    expect(plugin.effects!({ delete: [hubDb], only_check: true } as any)).toEqual({});
    expect((await planFor({ delete: [used], only_check: true })).plan).toThrow(PlanRefusal);
  });

  it('without facts (a dry run) says the delete it may run and that it destroys', () => {
    const result = plugin.plan({ delete: [hubDb] } as any, undefined);
    expect(result.actions).toEqual([{ kind: 'exec', argv: ['openstack', 'volume', 'delete', hubDb] }]);
    expect(result.destroys).toMatchObject({ cloudVolumes: true });
    expect(plugin.effects!({ delete: hubDb } as any)).toEqual({
      destroys: { what: `Cinder volume(s) ${hubDb}`, cloudVolumes: true },
    });
    expect(plugin.plan({} as any, undefined)).toMatchObject({ change: 'none', actions: [] });
  });

  it('stops when the cluster cannot be read, before it asks the cloud anything', async () => {
    const calls: string[][] = [];
    const io = fakeProbeIO({
      run: async (argv) =>
        (calls.push(argv), { exitCode: 1, stdout: '', stderr: 'The connection to the server was refused' }) as any,
    });
    await expect(plugin.probe!({ delete: [hubDb] } as any, io)).rejects.toThrow(
      'kubectl get failed: The connection to the server was refused',
    );
    expect(calls).toHaveLength(1);
  });

  it('says how to install the client when it is missing', async () => {
    const io = fakeProbeIO({
      run: async (argv) =>
        (argv[0] === 'kubectl'
          ? { exitCode: 0, stdout: JSON.stringify({ items: [] }), stderr: '' }
          : { exitCode: 127, stdout: '', stderr: 'command not found: openstack' }) as any,
    });
    await expect(plugin.probe!({} as any, io)).rejects.toThrow(/python3-openstackclient/);
  });
});
