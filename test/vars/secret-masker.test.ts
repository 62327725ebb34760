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
      fc.property(
        fc.string({ minLength: 1 }).filter((secret) => !secret.includes('*')),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const masker = new SecretMasker();
          masker.add(secret);
          expect(masker.mask(`${before}${secret}${after}`).includes(secret)).toBe(false);
        },
      ),
    );
  });
});

/** The base64 characters of `whole` whose six bits all come from bytes [start, end): an encoding of the secret alone, wherever it sits. */
function base64Inside(whole: Buffer, start: number, end: number): string {
  const encoded = whole.toString('base64');
  let inside = '';
  for (let index = 0; index * 6 < whole.length * 8; index += 1) {
    if (index * 6 >= start * 8 && index * 6 + 6 <= end * 8) inside += encoded[index];
  }
  return inside;
}

describe('SecretMasker: every written form', () => {
  const secretText = fc
    .string({ unit: 'binary', minLength: 8 })
    .filter((secret) => !secret.includes('*') && secret.trim().length >= 8);
  const around = fc.string({ unit: 'binary', maxLength: 12 }).filter((text) => !text.includes('*'));

  it('masks a secret written raw, JSON-escaped, YAML single-quoted, URL-encoded or base64 inside a longer text', () => {
    fc.assert(
      fc.property(secretText, around, around, (secret, before, after) => {
        const masker = new SecretMasker();
        masker.add(secret);
        const whole = `${before}${secret}${after}`;
        expect(masker.mask(whole)).not.toContain(secret);
        expect(masker.mask(JSON.stringify({ value: whole }))).not.toContain(JSON.stringify(secret).slice(1, -1));
        expect(masker.mask(`'${whole.replace(/'/g, "''")}'`)).not.toContain(secret.replace(/'/g, "''"));
        expect(masker.mask(encodeURIComponent(whole))).not.toContain(encodeURIComponent(secret));
        const bytes = Buffer.from(whole, 'utf8');
        const start = Buffer.byteLength(before, 'utf8');
        const inside = base64Inside(bytes, start, start + Buffer.byteLength(secret, 'utf8'));
        if (inside.length >= 8) expect(masker.mask(bytes.toString('base64'))).not.toContain(inside);
      }),
      { numRuns: 300 },
    );
  });

  it('masks each line of a multi-line secret, as a diff shows them one by one', () => {
    const line = fc
      .string({ unit: 'binary', minLength: 6, maxLength: 30 })
      .filter((text) => !/[*\r\n]/.test(text) && text.trim().length >= 6);
    fc.assert(
      fc.property(fc.array(line, { minLength: 2, maxLength: 4 }), (lines) => {
        const masker = new SecretMasker();
        masker.add(lines.join('\n'));
        const diff = lines.map((text, index) => `${index % 2 ? '+' : '-'}  key: ${text}`).join('\n');
        for (const text of lines) expect(masker.mask(diff)).not.toContain(text.trim());
      }),
    );
  });

  it('masks the forms Go writes JSON in (kubectl, helm): <, > and & escaped', () => {
    const masker = new SecretMasker();
    masker.add('pa<ss>&word');
    expect(masker.mask('{"token":"pa\\u003css\\u003e\\u0026word"}')).toBe('{"token":"********"}');
  });

  it('adds every string of a nested secret, and what was made from one', () => {
    const masker = new SecretMasker();
    masker.addDeep({ db: { password: 'hunter2-long' }, list: [['inner-secret']] });
    expect(masker.mask('hunter2-long inner-secret')).toBe('******** ********');
    masker.addDerived('HUNTER2-LONG');
    masker.addDerived('true');
    expect(masker.mask('HUNTER2-LONG is true')).toBe('******** is true');
  });
});

describe('forms a failing tool writes a secret in', () => {
  const secret = 'Zq8-very-long-token-0123456789-abcdefghij-KLMNOPQRST-uvwxyz-9876543210-end';
  const wrap = (text: string, width: number) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

  it('masks base64 wrapped at 76 or 64 columns, whatever comes before the secret in the encoded text', () => {
    for (const [prefix, width] of [
      ['', 76],
      ['user:', 76],
      ['ab', 64],
    ] as const) {
      const masker = new SecretMasker();
      masker.add(secret);
      const encoded = wrap(Buffer.from(`${prefix}${secret}`).toString('base64'), width);
      const shown = masker.mask(`error: cannot read token\n${encoded}\nexit status 1`);
      expect(shown.startsWith('error: cannot read token\n')).toBe(true);
      expect(shown.endsWith('\nexit status 1')).toBe(true);
      for (const line of encoded.split('\n').slice(0, -1)) expect(shown, `${prefix} ${width}`).not.toContain(line);
    }
  });

  it('leaves wrapped base64 that holds no secret as it is', () => {
    const masker = new SecretMasker();
    masker.add(secret);
    const other = wrap(Buffer.from('x'.repeat(200)).toString('base64'), 76);
    expect(masker.mask(other)).toBe(other);
  });
});

describe('values made from a secret that are too short or plain to find inside text', () => {
  it('are masked where each is a whole value: an argv word, a number a template made', () => {
    const masker = new SecretMasker();
    masker.add('s3cr3t-token');
    for (const piece of ['s3c', 'r3t', 4712, 'true']) masker.addDerived(piece);
    expect(masker.maskDeep({ argv: ['curl', 's3c', 'r3t', '-tok'], port: 4712, port2: '4712', ok: 'true' })).toEqual({
      argv: ['curl', '********', '********', '-tok'],
      port: '********',
      port2: '********',
      ok: 'true',
    });
    // Inside longer text they are ordinary letters and digits.
    expect(masker.mask('s3c of 4712 lines')).toBe('s3c of 4712 lines');
  });
});
