import type { ProbeIO } from '../../plugin-contract/contract.js';

type Obj = Record<string, any>;

/** The newest Warning event about an object, as `kubectl describe` shows it last. */
function lastWarning(events: Obj[], kind: string, name: string): string | undefined {
  const about = events
    .filter(
      (event) => event.type === 'Warning' && event.involvedObject?.kind === kind && event.involvedObject?.name === name,
    )
    .sort((a, b) =>
      String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')),
    );
  const event = about.at(-1);
  return event ? `${event.reason}: ${event.message}` : undefined;
}

function serviceProblem(service: Obj): string | undefined {
  if (service.spec?.type !== 'LoadBalancer' || service.status?.loadBalancer?.ingress?.length) return undefined;
  return `Service ${service.metadata.name} is type LoadBalancer and has no external address yet: helm's --wait waits for one, and a cloud without a load-balancer provider never gives it (set proxy.service.type: ClusterIP or NodePort and publish through an ingress)`;
}

function podProblem(pod: Obj, events: Obj[]): string | undefined {
  if (pod.status?.phase === 'Succeeded') return undefined;
  const ready = (pod.status?.conditions ?? []).some(
    (condition: Obj) => condition.type === 'Ready' && condition.status === 'True',
  );
  if (ready) return undefined;
  // An init container that cannot start holds every container at PodInitializing: its reason is the one that matters.
  const initWaiting = (pod.status?.initContainerStatuses ?? [])
    .map((status: Obj) => status.state?.waiting?.reason)
    .find((reason: string | undefined) => reason && reason !== 'PodInitializing');
  const waiting = initWaiting
    ? `Init:${initWaiting}`
    : (pod.status?.containerStatuses ?? []).map((status: Obj) => status.state?.waiting?.reason).find(Boolean);
  const state = [pod.status?.phase ?? 'Pending', waiting].filter(Boolean).join(', ');
  const warning = lastWarning(events, 'Pod', pod.metadata.name);
  return `Pod ${pod.metadata.name} is not ready (${state})${warning ? `: ${warning}` : ''}`;
}

function claimProblem(claim: Obj, events: Obj[]): string | undefined {
  if (claim.status?.phase === 'Bound') return undefined;
  const warning = lastWarning(events, 'PersistentVolumeClaim', claim.metadata.name);
  return `claim ${claim.metadata.name} is ${claim.status?.phase ?? 'Pending'}${warning ? `: ${warning}` : ''}`;
}

function jobProblem(job: Obj): string | undefined {
  const failed = (job.status?.conditions ?? []).find(
    (condition: Obj) => condition.type === 'Failed' && condition.status === 'True',
  );
  return failed ? `Job ${job.metadata.name} failed (${failed.reason}): ${failed.message}` : undefined;
}

/** At most this many objects are named: the first causes are what a person needs. */
const named = 8;

/**
 * After a wait that failed: which objects of the namespace are not ready, and why, from the API
 * (a LoadBalancer Service without an address, a pod's waiting reason and its last warning, a Pending claim, a failed Job).
 */
export async function explainNotReady(io: ProbeIO, kubectl: string[], namespace: string): Promise<string[]> {
  const read = async (kinds: string) => {
    const result = await io.run([...kubectl, 'get', kinds, '--namespace', namespace, '--output', 'json']);
    if (result.exitCode !== 0) return [];
    try {
      return (JSON.parse(result.stdout).items ?? []) as Obj[];
    } catch {
      return [];
    }
  };
  const [objects, events] = await Promise.all([read('services,pods,persistentvolumeclaims,jobs'), read('events')]);
  const problems = objects.flatMap((object) => {
    const problem =
      object.kind === 'Service'
        ? serviceProblem(object)
        : object.kind === 'Pod'
          ? podProblem(object, events)
          : object.kind === 'PersistentVolumeClaim'
            ? claimProblem(object, events)
            : object.kind === 'Job'
              ? jobProblem(object)
              : undefined;
    return problem ? [problem] : [];
  });
  return problems.length > named
    ? [...problems.slice(0, named), `and ${problems.length - named} more not ready`]
    : problems;
}
