export const maskText = '********';

/**
 * The base64 of a secret inside a longer encoded text (a Secret's data, a whole values file) depends on
 * where it falls in a 3-byte group: the characters that come from the secret alone, at each of the three.
 */
function embeddedBase64(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const skip = Math.ceil((offset * 8) / 6);
    const partialTail = (offset + bytes.length) % 3 !== 0 ? 1 : 0;
    const core = encoded.slice(skip, encoded.length - partialTail);
    // Shorter than this, a fragment would match ordinary encoded text by chance.
    if (core.length >= 8) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** The forms a secret takes once a tool or a format has written it: each is masked as the secret is. */
function writtenForms(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const forms = [text, bytes.toString('base64'), bytes.toString('base64url'), ...embeddedBase64(bytes)];
  // JSON (a tool's stderr, the journal), YAML single quotes, and URL encoding (a query, a form).
  const json = JSON.stringify(text).slice(1, -1);
  forms.push(json, text.replace(/'/g, "''"), encodeURIComponent(text), encodeURIComponent(text).replace(/%20/g, '+'));
  // Go's JSON (kubectl, helm) also escapes <, > and & and the two line separators.
  forms.push(json.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // A multi-line secret (a TLS key) is shown line by line in diffs: each line that says something is masked.
  if (text.includes('\n'))
    forms.push(
      ...text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length >= 6),
    );
  return [...new Set(forms)].filter((form) => form.length > 0);
}

/** Too common to mask when derived from a secret: masking every "true" or "12" would hide the output, not the secret. */
const tooCommon = /^(?:true|false|none|null|yes|no|[+-]?\d+(?:\.\d+)?)$/i;

/** Replaces every known secret, in each form it may be written in, wherever it appears in text bound for a person or a file. */
/** Words a value made from a secret may well be without saying anything of it: never masked as whole values. */
const plainWords = /^(?:true|false|none|null|yes|no)$/i;

/** A line of base64 as tools wrap it (`base64`, PEM, MIME: 64 or 76 columns), possibly indented. */
const base64Line = /^\s*[A-Za-z0-9+/]{4,}={0,2}\s*$/;

export class SecretMasker {
  private readonly secrets = new Set<string>();
  /** Values made from a secret that are too short or too plain to mask inside text: masked where one is a whole value (an argv word, a registered field). */
  private readonly wholeValues = new Set<string>();
  private readonly tainted = new WeakSet<object>();
  private pattern: RegExp | undefined;

  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length === 0 || this.secrets.has(text)) return;
    for (const form of writtenForms(text)) this.secrets.add(form);
    this.pattern = undefined;
  }

  /** Adds every string of a value, at any depth of a map or list. */
  addDeep(value: unknown): void {
    if (typeof value === 'string' || typeof value === 'number') this.add(value);
    else if (Array.isArray(value)) for (const item of value) this.addDeep(item);
    else if (value && typeof value === 'object') for (const item of Object.values(value)) this.addDeep(item);
  }

  /** A value made from a secret (a filter, a template reading one) is a secret too, at any depth; short common words aside. */
  addDerived(value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value)) {
      this.wholeValues.add(String(value));
      return;
    }
    if (typeof value === 'string') {
      if (value.length >= 4 && !tooCommon.test(value.trim())) this.add(value);
      else if (value.trim().length >= 2 && !plainWords.test(value.trim())) this.wholeValues.add(value);
      return;
    }
    if (value && typeof value === 'object') {
      this.tainted.add(value);
      for (const item of Array.isArray(value) ? value : Object.values(value)) this.addDerived(item);
    }
  }

  /** Whether a value holds a secret, or was made from one. */
  bears(value: unknown): boolean {
    if (this.secrets.size === 0) return false;
    if (typeof value === 'string') return this.regex().test(value) || this.secrets.has(value);
    if (typeof value === 'number') return this.secrets.has(String(value));
    if (value && typeof value === 'object') {
      if (this.tainted.has(value)) return true;
      return (Array.isArray(value) ? value : Object.values(value)).some((item) => this.bears(item));
    }
    return false;
  }

  taints(value: unknown): boolean {
    if (typeof value === 'string' || typeof value === 'number') return this.bears(value);
    return value !== null && typeof value === 'object' && this.tainted.has(value);
  }

  get size(): number {
    return this.secrets.size + this.wholeValues.size;
  }

  private regex(): RegExp {
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    this.pattern.lastIndex = 0;
    return this.pattern;
  }

  mask(text: string): string {
    if (this.secrets.size === 0) return text;
    return this.maskWrapped(text.replace(this.regex(), maskText));
  }

  /**
   * Base64 wrapped over several lines (a failing tool printing `base64` of a secret): the lines are
   * read joined, as the text they encode, and each line that holds part of a secret is masked whole.
   */
  private maskWrapped(text: string): string {
    if (!text.includes('\n')) return text;
    const lines = text.split('\n');
    for (let start = 0; start < lines.length;) {
      let end = start;
      while (end < lines.length && base64Line.test(lines[end]!)) end += 1;
      if (end - start >= 2) this.maskBlock(lines, start, end);
      start = Math.max(end, start + 1);
    }
    return lines.join('\n');
  }

  private maskBlock(lines: string[], start: number, end: number): void {
    const pieces = lines.slice(start, end).map((line) => line.trim());
    const joined = pieces.join('');
    const found = [...joined.matchAll(this.regex())];
    if (found.length === 0) return;
    const offsets = [0];
    for (const piece of pieces) offsets.push(offsets.at(-1)! + piece.length);
    for (const match of found) {
      const [from, to] = [match.index, match.index + match[0].length];
      for (let index = 0; index < pieces.length; index += 1)
        if (offsets[index]! < to && offsets[index + 1]! > from) lines[start + index] = maskText;
    }
  }

  maskDeep<T>(value: T): T {
    if (this.secrets.size === 0 && this.wholeValues.size === 0) return value;
    return maskValue(value, (text) => (this.wholeValues.has(text) ? maskText : this.mask(text)), this.wholeValues) as T;
  }
}

function maskValue(value: unknown, mask: (text: string) => string, wholeValues: ReadonlySet<string>): unknown {
  if (typeof value === 'number') return wholeValues.has(String(value)) ? maskText : value;
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask, wholeValues));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, mask, wholeValues)]));
  }
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
