import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretMasker } from '../../runner/vars/secret-masker.js';

describe('SecretMasker', () => {
  it('masks every occurrence, longest secret first, and the base64 form', () => {
    const masker = new SecretMasker();
    masker.add('abc');
    masker.add('abcdef');
    expect(masker.mask('x abcdef y abc')).toBe('x ******** y ********');
    expect(masker.mask(Buffer.from('abcdef').toString('base64'))).toBe('********');
  });

  it('masks inside nested values without touching the original', () => {
    const masker = new SecretMasker();
    masker.add('p4ss');
    const event = { argv: ['--token', 'p4ss'], nested: { text: 'a p4ss b' } };
    expect(masker.maskDeep(event)).toEqual({ argv: ['--token', '********'], nested: { text: 'a ******** b' } });
    expect(event.argv[1]).toBe('p4ss');
  });

  it('treats regular-expression characters in secrets literally', () => {
    const masker = new SecretMasker();
    masker.add('a.b*c');
    expect(masker.mask('aXbbc a.b*c')).toBe('aXbbc ********');
  });

  it('never lets a secret through, whatever surrounds it (secrets made of the mask character aside)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((secret) => !secret.includes('*')), fc.string(), fc.string(), (secret, before, after) => {
        const masker = new SecretMasker();
        masker.add(secret);
        expect(masker.mask(`${before}${secret}${after}`).includes(secret)).toBe(false);
      }),
    );
  });
});
