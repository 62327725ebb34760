import type { KubeObject } from '../object-store.js';
import { mustType, ownedBy, randomSuffix, timestamp, updateIfChanged, type Controller } from './controller-context.js';
import { recordEvent } from './storage-objects.js';
import { failJob } from './workload-faults.js';
import { newPod } from './new-pod.js';

/** The pod's containers exited as the Job's outcome says: 0 and Completed, or 1 and Error. */
function finishedPod(pod: KubeObject, succeeded: boolean, now: string): KubeObject {
  const terminated = succeeded
    ? { exitCode: 0, reason: 'Completed', startedAt: pod.status?.startTime ?? now, finishedAt: now }
    : { exitCode: 1, reason: 'Error', startedAt: pod.status?.startTime ?? now, finishedAt: now };
  return {
    ...pod,
    status: {
      ...pod.status,
      phase: succeeded ? 'Succeeded' : 'Failed',
      conditions: (pod.status?.conditions ?? []).map((condition: { type: string }) =>
        condition.type === 'Ready' || condition.type === 'ContainersReady'
          ? { ...condition, status: 'False', reason: 'PodCompleted' }
          : condition,
      ),
      containerStatuses: (pod.spec?.containers ?? []).map((container: { name: string; image?: string }) => ({
        name: container.name,
        image: container.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { terminated },
      })),
    },
  };
}

/**
 * Jobs (helm hooks among them), as the Job controller runs them: a pod from the template, which the
 * kubelet starts only if its images pull; once it has run the site's `job_seconds` it completes,
 * or fails when the site names the Job. A pod that never starts (a mistyped image) keeps the Job,
 * and helm's wait on its hook, active.
 */
export const jobs: Controller = (ctx) => {
  const type = mustType(ctx, 'Job');
  const podType = mustType(ctx, 'Pod');
  let changed = 0;
  for (const job of ctx.store.list(type)) {
    if (
      (job.status?.conditions ?? []).some(
        (condition: { type: string }) => condition.type === 'Complete' || condition.type === 'Failed',
      )
    )
      continue;
    const now = timestamp();
    const namespace = job.metadata.namespace;
    let pod = ctx.store.list(podType, namespace).find((candidate) => ownedBy(candidate, job));
    if (!pod) {
      const name = `${job.metadata.name}-${randomSuffix()}`;
      changed += newPod(ctx, job, job.spec?.template ?? {}, name, undefined);
      changed += recordEvent(ctx, job, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'job-controller');
      pod = ctx.store.get(podType, namespace, name);
    }
    const left = Date.parse(job.metadata.creationTimestamp) + (ctx.workloads?.jobMs ?? 0) - Date.now();
    if (left > 0 || pod.status?.phase !== 'Running') {
      if (left > 0) ctx.wakeAfter?.(left);
      const fresh = ctx.store.get(type, namespace, job.metadata.name);
      changed += updateIfChanged(ctx, type, fresh, {
        ...fresh,
        status: {
          startTime: fresh.status?.startTime ?? now,
          active: 1,
          ready: pod.status?.phase === 'Running' ? 1 : 0,
          terminating: 0,
          uncountedTerminatedPods: {},
        },
      });
      continue;
    }
    const fresh = ctx.store.get(type, namespace, job.metadata.name);
    if (ctx.workloads?.failingJobs.includes(job.metadata.name)) {
      changed += updateIfChanged(ctx, podType, pod, finishedPod(pod, false, now));
      changed += failJob(ctx, type, fresh, now);
      continue;
    }
    changed += updateIfChanged(ctx, podType, pod, finishedPod(pod, true, now));
    changed += updateIfChanged(ctx, type, fresh, {
      ...fresh,
      status: {
        startTime: fresh.status?.startTime ?? now,
        completionTime: now,
        succeeded: fresh.spec?.completions ?? 1,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: ['SuccessCriteriaMet', 'Complete'].map((conditionType) => ({
          type: conditionType,
          status: 'True',
          lastProbeTime: now,
          lastTransitionTime: now,
        })),
      },
    });
    changed += recordEvent(ctx, fresh, 'Normal', 'Completed', 'Job completed', 'job-controller');
  }
  return changed;
};
