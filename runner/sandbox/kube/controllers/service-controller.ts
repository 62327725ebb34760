import { mustType, updateIfChanged, type Controller } from './controller-context.js';

/**
 * As a cloud's service controller (OpenStack's cloud-controller-manager with a load-balancer
 * provider): a LoadBalancer Service gets an ingress address once the cloud gives one. Where the
 * site has no provider, nothing answers and the address stays pending, as on such a real site.
 */
export const serviceController: Controller = (ctx) => {
  const serviceType = mustType(ctx, 'Service');
  const address = ctx.loadBalancerAddress?.();
  let changed = 0;
  for (const service of ctx.store.list(serviceType)) {
    if (service.metadata.deletionTimestamp) continue;
    const wanted = service.spec?.type === 'LoadBalancer' && address ? { ingress: [{ ip: address, ipMode: 'VIP' }] } : {};
    const current = service.status?.loadBalancer ?? {};
    if (JSON.stringify(current) === JSON.stringify(wanted)) continue;
    changed += updateIfChanged(ctx, serviceType, service, { ...service, status: { ...service.status, loadBalancer: wanted } });
  }
  return changed;
};
