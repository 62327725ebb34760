import { describe, expect, it } from 'vitest';
import { registeredPort } from '../../../sandbox/support/port-registry.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('the port registry sites share in a test run', () => {
  it('gives a site its derived port, the same one on every later run, and the next free one to a site whose port is taken', async () => {
    const registry = await tempDir();
    expect(registeredPort(registry, '/a/.state', 20005, 20000, 10)).toBe(20005);
    expect(registeredPort(registry, '/b/.state', 20005, 20000, 10)).toBe(20006);
    expect(registeredPort(registry, '/a/.state', 20005, 20000, 10)).toBe(20005);
    expect(registeredPort(registry, '/b/.state', 20005, 20000, 10)).toBe(20006);
    // The span wraps around to its start.
    expect(registeredPort(registry, '/c/.state', 20009, 20000, 10)).toBe(20009);
    expect(registeredPort(registry, '/d/.state', 20009, 20000, 10)).toBe(20000);
  });

  it('says so when every port of the span is taken', async () => {
    const registry = await tempDir();
    registeredPort(registry, '/a/.state', 20000, 20000, 1);
    expect(() => registeredPort(registry, '/b/.state', 20000, 20000, 1)).toThrow(/no free port left/);
  });
});
