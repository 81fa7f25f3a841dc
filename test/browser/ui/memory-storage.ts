/** A Storage in memory, so each test starts from an empty "localStorage". */
export class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  #writes = new Map<string, number>();
  /** While true, every write throws as a full browser storage does (QuotaExceededError). */
  full = false;
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.#items.set(key, value);
    this.#writes.set(key, this.writesOf(key) + 1);
  }
  /** How many times `key` was written (each write fires a storage event in the other tabs). */
  writesOf(key: string): number {
    return this.#writes.get(key) ?? 0;
  }
  /** Every key and value, as one text (to look for what must never be stored). */
  text(): string {
    return JSON.stringify([...this.#items]);
  }
}
