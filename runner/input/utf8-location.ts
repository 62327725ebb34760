import { isUtf8 } from 'node:buffer';

/** Bytes in the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Where text stops being UTF-8, as a person counts it (line, and characters into the line); undefined when it is all valid. */
export function invalidUtf8Location(bytes: Buffer): { line: number; col: number; message: string } | undefined {
  if (isUtf8(bytes)) return undefined;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { line: 1, col: 1, message: 'the file is UTF-16: save it as UTF-8' };
  }
  let line = 1;
  let col = 1;
  for (let offset = 0; offset < bytes.length;) {
    const length = sequenceLength(bytes[offset]!);
    if (length === 0 || offset + length > bytes.length || !isUtf8(bytes.subarray(offset, offset + length))) {
      return { line, col, message: `not valid UTF-8 (byte ${hex(bytes[offset]!)}): save the file as UTF-8` };
    }
    if (bytes[offset] === 0x0a) {
      line += 1;
      col = 1;
    } else {
      col += 1;
    }
    offset += length;
  }
  return undefined;
}
