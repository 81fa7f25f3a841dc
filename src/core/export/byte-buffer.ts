/**
 * A growable byte buffer: bytes appended one at a time or in runs, read back as
 * one array. What the Thrift writer encodes into and what the Parquet splicer
 * keeps page indexes and row-group metadata in (one buffer, not one small array
 * per piece).
 */
export class ByteBuffer {
  #buf: Uint8Array;
  #len = 0;

  /** `capacity`: bytes reserved up front. Default: 1024. */
  constructor(capacity = 1024) {
    this.#buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  byte(b: number): void {
    if (this.#len === this.#buf.length) this.#grow(1);
    this.#buf[this.#len++] = b;
  }

  append(bytes: Uint8Array): void {
    if (this.#len + bytes.length > this.#buf.length) this.#grow(bytes.length);
    this.#buf.set(bytes, this.#len);
    this.#len += bytes.length;
  }

  /** Forgets what was written, keeping the memory. */
  clear(): void {
    this.#len = 0;
  }

  /** A view of bytes [from, to) of what was written; valid until the next write. */
  view(from = 0, to = this.#len): Uint8Array {
    return this.#buf.subarray(from, to);
  }

  /** A copy of everything written. */
  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  #grow(needed: number): void {
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + needed));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}
