import type { SamplerDraw } from './types.ts';

export interface UuidParams {
  /** Prepended to every value. Default: none. */
  prefix?: string | null;
  /** Only the first 8 hex characters. Default: false (32 characters, no hyphens, as Data Designer). */
  short_form?: boolean;
  /** Upper-case hex letters. Default: false. */
  uppercase?: boolean;
}

/** Two hex digits per byte: one concatenation per byte instead of one per digit. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const BYTE_HEX_UPPER = BYTE_HEX.map((h) => h.toUpperCase());

/**
 * `uuid`: a version-4 UUID drawn from the cell's generator (so it is reproducible),
 * written as Data Designer does: 32 hex characters without hyphens, or 8 in short form.
 */
export function uuidSampler(params: UuidParams): SamplerDraw {
  const hex = params.uppercase ? BYTE_HEX_UPPER : BYTE_HEX;
  const prefix = params.prefix ?? '';
  const length = params.short_form ? 8 : 32;
  return (rng) => {
    let out = prefix;
    for (let word = 0; word < length / 8; word++) {
      let bits = rng.nextUint32();
      if (word === 1) bits = (bits & 0xffff0fff) | 0x00004000; // version 4
      if (word === 2) bits = (bits & 0x3fffffff) | 0x80000000; // RFC 4122 variant
      out +=
        hex[bits >>> 24]! +
        hex[(bits >>> 16) & 0xff]! +
        hex[(bits >>> 8) & 0xff]! +
        hex[bits & 0xff]!;
    }
    return out;
  };
}
