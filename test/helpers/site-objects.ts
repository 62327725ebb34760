import { SiteJournal } from '../../sandbox/site/site-journal.js';

/** The Kubernetes objects of a sandbox site as its journal holds them after a run. */
export function siteObjects(site: string): any[] {
  const saved = new SiteJournal(`${site}/.state/cluster.jsonl`).load();
  return [...saved.objects.values()].map((entry) => entry.object);
}

export function siteObject(site: string, kind: string, name: string, namespace?: string): any {
  return siteObjects(site).find(
    (object) => object.kind === kind && object.metadata.name === name && object.metadata.namespace === namespace,
  );
}

/** The write counts the site summary prints for the run. */
export function runWrites(stdout: string): { api: number; cloud: number } {
  const match = /this run: (\d+) Kubernetes API write request\(s\), (\d+) cloud write\(s\)/.exec(stdout);
  if (!match) throw new Error(`no site summary in:\n${stdout}`);
  return { api: Number(match[1]), cloud: Number(match[2]) };
}
