import type { KubeObject } from '../../kube/object-store.js';
import { cinderProvisioners, volumeIdOf } from '../../kube/controllers/storage-objects.js';
import type { SiteObjects } from '../site-summary.js';
import type { SiteSnapshot } from './read-snapshot.js';

type Outcome = 'kept' | 'restored' | 'reserved' | 'left out' | 'ON ANOTHER VOLUME' | 'new' | 'deleted';

interface Row {
  claim: string;
  volume: string;
  storageClass: string;
  before: string;
  after: string;
  outcome: Outcome;
}

const claimClass = (claim: KubeObject | undefined) => String(claim?.spec?.storageClassName ?? '');

/** A user's claim, as KubeSpawner names and annotates it; the hub's own database claim is not a user's. */
const isUserClaim = (claim: KubeObject) =>
  String(claim.metadata.name).startsWith('claim-') || Boolean(claim.metadata.annotations?.['hub.jupyter.org/username']);

/** Each user's claim as the snapshot had it and as the twin has it now: what a person compares with their site. */
function rows(snapshot: SiteSnapshot, site: SiteObjects): Row[] {
  const namespace = snapshot.namespace;
  const volumeOfPv = (pvs: KubeObject[]) => new Map(pvs.map((pv) => [String(pv.metadata.name), volumeIdOf(pv) ?? '']));
  const beforeVolume = volumeOfPv(snapshot.pvs);
  const pvsNow = site.list('PersistentVolume');
  const nowVolume = volumeOfPv(pvsNow);
  const claimsNow = new Map(
    site
      .list('PersistentVolumeClaim')
      .filter((claim) => claim.metadata.namespace === namespace && isUserClaim(claim))
      .map((claim) => [String(claim.metadata.name), claim]),
  );
  const reservedFor = (name: string) =>
    pvsNow.find(
      (pv) =>
        pv.spec?.claimRef?.namespace === namespace &&
        pv.spec?.claimRef?.name === name &&
        pv.status?.phase !== 'Released',
    );
  const result: Row[] = [];
  for (const claim of snapshot.pvcs.filter(isUserClaim)) {
    const name = String(claim.metadata.name);
    const volume = beforeVolume.get(String(claim.spec?.volumeName)) ?? '';
    const now = claimsNow.get(name);
    const nowVolumeId = now?.status?.phase === 'Bound' ? nowVolume.get(String(now.spec?.volumeName)) : undefined;
    const reserved = now ? undefined : reservedFor(name);
    const outcome: Outcome = now
      ? nowVolumeId === volume
        ? now.metadata.uid === claim.metadata.uid
          ? 'kept'
          : 'restored'
        : nowVolumeId
          ? 'ON ANOTHER VOLUME'
          : 'left out'
      : reserved && volumeIdOf(reserved) === volume
        ? 'reserved'
        : 'left out';
    result.push({
      claim: name,
      volume,
      storageClass: claimClass(claim),
      before: String(claim.status?.phase ?? 'Pending'),
      after: now
        ? `${now.status?.phase ?? 'Pending'}${nowVolumeId && nowVolumeId !== volume ? ` on ${nowVolumeId}` : ''}`
        : reserved
          ? 'volume reserved'
          : 'absent',
      outcome,
    });
  }
  // The volumes of users deleted while their volumes were Retain: Released at the site, their files still there.
  for (const pv of snapshot.pvs.filter(
    (each) => each.status?.phase === 'Released' && each.spec?.claimRef?.namespace === namespace,
  )) {
    const volume = volumeIdOf(pv) ?? '';
    const still = site.volumes.get(volume);
    result.push({
      claim: `${pv.spec.claimRef.name} (deleted user)`,
      volume,
      storageClass: String(pv.spec?.storageClassName ?? ''),
      before: 'Released',
      after: still ? 'volume kept' : 'volume gone',
      outcome: still ? 'kept' : 'deleted',
    });
  }
  const known = new Set(snapshot.pvcs.filter(isUserClaim).map((claim) => String(claim.metadata.name)));
  for (const [name, claim] of claimsNow) {
    if (known.has(name)) continue;
    result.push({
      claim: name,
      volume: nowVolume.get(String(claim.spec?.volumeName)) ?? '',
      storageClass: claimClass(claim),
      before: 'absent',
      after: String(claim.status?.phase ?? 'Pending'),
      outcome: 'new',
    });
  }
  return result;
}

/** What of the site the twin cannot rehearse: said with the table, so a surprise shows up here and not at the site. */
export function twinLimits(snapshot: SiteSnapshot, floatingIpNow: string | undefined): string[] {
  const limits: string[] = [];
  for (const storageClass of snapshot.storageClasses)
    if (!cinderProvisioners.has(String(storageClass['provisioner'])))
      limits.push(
        `storage class ${storageClass.metadata.name}: provisioner ${storageClass['provisioner']} is not one the sandbox knows; its volumes are not provisioned here`,
      );
  const ids = new Set(snapshot.volumes.map((volume) => volume.ID));
  for (const pv of snapshot.pvs) {
    const id = volumeIdOf(pv);
    if (id && !ids.has(id))
      limits.push(
        `volume ${pv.metadata.name}: its Cinder volume ${id} was not in the project's volume list at the site`,
      );
  }
  const siteIp = snapshot.floatingIps[0]?.['Floating IP Address'];
  if (siteIp && floatingIpNow && siteIp !== floatingIpNow)
    limits.push(
      `floating IP: the twin's is ${floatingIpNow}, the site's ${siteIp}; what points at the address (DNS) is not rehearsed`,
    );
  const certManager = snapshot.certManagerObjects;
  if (certManager.length)
    limits.push(
      `cert-manager: not copied, as their keys are not in the snapshot: the site's ${certManager.map((object) => `${object['kind']} ${object.metadata.name}`).join(', ')}; enable-https.yml makes the twin's`,
    );
  limits.push(
    "nodes: a cluster the twin rebuilds is named by the sandbox's terraform configuration (k8s-master, k8s-node-N), not your site's",
    "volume attachments: the sandbox's Cinder does not attach volumes to instances; a volume in use at the site is available here",
  );
  return limits;
}

/** The rehearsal's table and its limits, for the site summary of a run on a twin. */
export function twinReport(snapshot: SiteSnapshot, site: SiteObjects, floatingIpNow: string | undefined): string[] {
  const table = rows(snapshot, site);
  const header: Row = {
    claim: 'claim',
    volume: 'volume ID',
    storageClass: 'class',
    before: 'before',
    after: 'after',
    outcome: 'new',
  };
  const width = (key: keyof Row) => Math.max(...[header, ...table].map((row) => row[key].length));
  const line = (row: Row, outcome: string) =>
    `    ${row.claim.padEnd(width('claim'))}  ${row.volume.padEnd(width('volume'))}  ${row.storageClass.padEnd(width('storageClass'))}  ${`${row.before} → ${row.after}`.padEnd(width('before') + width('after') + 3)}  ${outcome}`.trimEnd();
  const counts = new Map<string, number>();
  for (const row of table) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
  return [
    `rehearsal against the snapshot of site ${snapshot.siteName} (${snapshot.dir}, taken ${snapshot.taken}): ${[...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ')}`,
    line(header, 'outcome'),
    ...table.map((row) => line(row, row.outcome)),
    '  not rehearsed here:',
    ...twinLimits(snapshot, floatingIpNow).map((limit) => `    ${limit}`),
  ];
}
