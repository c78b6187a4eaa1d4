/**
 * Strict text decoding. A process file that is not UTF-8 (a GBK export, a truncated upload) must
 * be refused with its position, not read with U+FFFD replacement characters that would then be
 * stored in ids and titles.
 */

/** Decodes UTF-8 strictly: the text, or the offset of the first invalid byte and the text before it. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { invalidAt: number; prefix: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const invalidAt = firstInvalidUtf8(bytes);
    return { invalidAt, prefix: new TextDecoder('utf-8').decode(bytes.subarray(0, Math.max(invalidAt, 0))) };
  }
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const need = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (need === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The index of the first unpaired surrogate of a string (text that no UTF-8 file can hold), if any. */
export function lonelySurrogate(text: string): number | undefined {
  const match = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  return match ? match.index : undefined;
}
