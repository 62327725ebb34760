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

describe('startReconcileLoop timing', () => {
  it('runs a pass as soon as the store goes quiet, and in a burst of writes no later than the pause a costly pass earned', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const store = new ObjectStore();
      const ctx = { store, types: [...builtinResourceTypes], volumes: memoryVolumeBackend() };
      const configMap = builtinResourceTypes.find((type) => type.kind === 'ConfigMap')!;
      let passes = 0;
      // Each pass takes a second: the loop then spaces passes 4 s apart while writes keep coming.
      const controller = () => {
        passes += 1;
        vi.advanceTimersByTime(1000);
        return 0;
      };
      const loop = startReconcileLoop(ctx, [controller], { delayMs: 10 });
      let written = 0;
      const write = () => store.create(configMap, 'default', { metadata: { name: `map-${(written += 1)}` } });
      write();
      vi.advanceTimersByTime(10);
      expect(passes).toBe(1);
      // One write, then quiet: its pass comes after 10 ms, not after the 4 s pause.
      write();
      vi.advanceTimersByTime(10);
      expect(passes).toBe(2);
      // A write every 5 ms: no pass until the pause is up, then one.
      for (let elapsed = 0; elapsed < 3900; elapsed += 5) {
        write();
        vi.advanceTimersByTime(5);
      }
      expect(passes).toBe(2);
      for (let elapsed = 0; elapsed < 200; elapsed += 5) {
        write();
        vi.advanceTimersByTime(5);
      }
      expect(passes).toBe(3);
      loop.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
