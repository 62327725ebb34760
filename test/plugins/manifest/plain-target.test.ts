import { describe, expect, it } from 'vitest';
import { plainTarget } from '../../../runner/plugins/manifest/plain-target.js';

describe('plainTarget', () => {
  it('reads present, absent and null values apart', () => {
    const target = plainTarget({ spec: { claimRef: null, modes: ['RWO'] } });
    expect(target.read(['spec', 'claimRef'])).toEqual({ present: true, value: null });
    expect(target.read(['spec', 'modes', 0])).toEqual({ present: true, value: 'RWO' });
    expect(target.read(['spec', 'modes', 1])).toEqual({ present: false, value: undefined });
    expect(target.read(['spec', 'claimRef', 'name'])).toEqual({ present: false, value: undefined });
  });

  it('creates missing or null maps on the way, and refuses to go through a scalar or name a list entry', () => {
    const object: Record<string, any> = { spec: { claimRef: null, size: '1Gi', modes: [] } };
    const target = plainTarget(object);
    expect(target.set(['spec', 'claimRef', 'name'], 'claim-a')).toBe(true);
    expect(target.set(['metadata', 'labels', 'app'], 'jupyterhub')).toBe(true);
    expect(object).toEqual({
      spec: { claimRef: { name: 'claim-a' }, size: '1Gi', modes: [] },
      metadata: { labels: { app: 'jupyterhub' } },
    });
    expect(target.set(['spec', 'size', 'unit'], 'Gi')).toBe(false);
    expect(target.set(['spec', 'modes', 'first'], 'RWO')).toBe(false);
    expect(target.set(['spec', 'modes', 0, 'x'], 1)).toBe(false);
    expect(object.spec.size).toBe('1Gi');
  });

  it('gives every object its own copy of a value set on many', () => {
    const value = { app: 'jupyterhub' };
    const first: Record<string, any> = {};
    const second: Record<string, any> = {};
    plainTarget(first).set(['labels'], value);
    plainTarget(second).set(['labels'], value);
    first.labels.app = 'changed';
    expect(second.labels.app).toBe('jupyterhub');
    expect(value.app).toBe('jupyterhub');
  });

  it('removes a key, or a list entry without leaving a hole, and says whether anything was there', () => {
    const object: Record<string, any> = { status: { phase: 'Bound' }, finalizers: ['a', 'b'] };
    const target = plainTarget(object);
    expect(target.remove(['status'])).toBe(true);
    expect(target.remove(['status'])).toBe(false);
    expect(target.remove(['finalizers', 0])).toBe(true);
    expect(object).toEqual({ finalizers: ['b'] });
  });
});
