import { mustType, type Controller } from './controller-context.js';
import { imagePullFailure } from './workloads.js';

/**
 * The kubelet's image pulls on KWOK's nodes: a scheduled pod whose image the site's registry does
 * not have stays Pending in ImagePullBackOff (or Init:ImagePullBackOff), with the kubelet's events;
 * KWOK's stage runs only pods whose every image pulls.
 */
export const imagePuller: Controller = (ctx) => {
  let changed = 0;
  for (const pod of ctx.store.list(mustType(ctx, 'Pod')))
    if (pod.spec?.nodeName && pod.status?.phase === 'Pending' && !pod.metadata.deletionTimestamp)
      changed += imagePullFailure(ctx, pod, pod.spec.nodeName) ?? 0;
  return changed;
};
