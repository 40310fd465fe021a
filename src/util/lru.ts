/**
 * A bounded least-recently-used map, for the process-wide caches that many calendars share (issue
 * 20). A `Map` keeps insertion order, so moving a key to the end on each hit and dropping from the
 * front is an LRU in a few lines; a dependency for it would add to every browser bundle for no gain.
 */

/**
 * A map that keeps at most `limit` entries, dropping the least recently used one first. A limit of
 * 0 keeps nothing (every `get` misses).
 * @internal
 */
export class BoundedLru<K, V> {
  readonly #map = new Map<K, V>();
  #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The value of a key, which becomes the most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const map = this.#map;
    const value = map.get(key);
    if (value !== undefined) {
      map.delete(key);
      map.set(key, value);
    }
    return value;
  }

  /** Stores a value as the most recently used, dropping the least recently used beyond the limit. */
  set(key: K, value: V): void {
    const map = this.#map;
    map.delete(key);
    if (this.#limit <= 0) return;
    map.set(key, value);
    this.#trim();
  }

  /** How many entries are kept now. */
  get size(): number {
    return this.#map.size;
  }

  /** The most entries kept; lowering it drops the least recently used at once. */
  get limit(): number {
    return this.#limit;
  }

  set limit(limit: number) {
    this.#limit = limit;
    this.#trim();
  }

  /** Drops every entry. */
  clear(): void {
    this.#map.clear();
  }

  #trim(): void {
    const map = this.#map;
    while (map.size > Math.max(0, this.#limit)) map.delete(map.keys().next().value as K);
  }
}
