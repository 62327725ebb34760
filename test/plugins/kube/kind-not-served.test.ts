import { describe, expect, it } from 'vitest';
import { kindNotServed } from '../../../runner/plugins/kube/kind-not-served.js';

describe('kindNotServed', () => {
  it("is kubectl's answer for a kind discovery does not have, and no other failure", () => {
    const failed = (stderr: string) => ({ exitCode: 1, stdout: '', stderr }) as never;
    expect(kindNotServed(failed('error: the server doesn\'t have a resource type "certificates"'))).toBe(true);
    expect(kindNotServed(failed('Unable to connect to the server: EOF'))).toBe(false);
    expect(kindNotServed({ exitCode: 0, stdout: '', stderr: "doesn't have a resource type" } as never)).toBe(false);
  });
});
