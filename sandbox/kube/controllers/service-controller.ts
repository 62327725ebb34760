import { mustType, updateIfChanged, type Controller } from './controller-context.js';

/**
 * As a cloud's service controller (OpenStack's cloud-controller-manager with a load-balancer
 * provider): a LoadBalancer Service gets an ingress address once the cloud gives one. Where the
 * site has no provider, nothing answers and the address stays pending, as on such a real site.
 */
export const serviceController: Controller = (ctx) => {
  const serviceType = mustType(ctx, 'Service');
  // Asked only when a LoadBalancer Service exists: the site reads it from terraform's state.
  let address: string | undefined | null = null;
  const cloudAddress = () => (address === null ? (address = ctx.loadBalancerAddress?.()) : address);
  let changed = 0;
  for (const service of ctx.store.list(serviceType)) {
    if (service.metadata.deletionTimestamp) continue;
    const ip = service.spec?.type === 'LoadBalancer' ? cloudAddress() : undefined;
    const wanted = ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {};
    const current = service.status?.loadBalancer ?? {};
    if (JSON.stringify(current) === JSON.stringify(wanted)) continue;
    changed += updateIfChanged(ctx, serviceType, service, {
      ...service,
      status: { ...service.status, loadBalancer: wanted },
    });
  }
  return changed;
};
