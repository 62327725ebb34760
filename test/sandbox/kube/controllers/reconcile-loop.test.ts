import { describe, expect, it, vi } from 'vitest';
import { memoryVolumeBackend } from '../../../../sandbox/cloud/volume-backend.js';
import { startReconcileLoop } from '../../../../sandbox/kube/controllers/reconcile-loop.js';
import { ObjectStore } from '../../../../sandbox/kube/object-store.js';
import { builtinResourceTypes } from '../../../../sandbox/kube/resource-catalog.js';

describe('startReconcileLoop', () => {
  it('runs again after a controller fails, so a conflict does not leave the cluster stuck', async () => {
    const store = new ObjectStore();
    const ctx = { store, types: [...builtinResourceTypes], volumes: memoryVolumeBackend() };
    let calls = 0;
    const flaky = () => {
      calls += 1;
      if (calls === 1) throw new Error('Operation cannot be fulfilled: the object has been modified');
      return 0;
    };
    const errors: string[] = [];
    const loop = startReconcileLoop(ctx, [flaky], { delayMs: 1, onError: (error) => errors.push(error.message) });
    store.create(
      builtinResourceTypes.find((type) => type.kind === 'ConfigMap')!,
      'default',
      { metadata: { name: 'a' } },
    );
    // The retry comes from the loop's own timer: wait for it, however long a busy machine makes that.
    await vi.waitFor(() => expect(calls).toBe(2), { timeout: 10_000, interval: 5 });
    loop.stop();
    expect(errors).toHaveLength(1);
  });
});
