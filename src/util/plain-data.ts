/*
 * Specs, durations and options are plain data: objects, arrays, strings, numbers. A `Map`, a `Set`
 * or a `Date` given where an object is expected keeps its content out of its own keys, and whoever
 * reads it as an object sees nothing: zod's object schemas take a Map for `{}` (so
 * `weekly: new Map([["mon", …]])` made a calendar closed every day), and a duration read key by key
 * took `new Map([["hours", 2]])` for zero. Nothing said so. These helpers find such a value, so that
 * the caller can refuse it with its path instead.
 *
 * Only the built-ins whose data is not in their own keys are refused (what `Object.prototype.toString`
 * names other than Object and Array). An instance of an ordinary class is read by its own keys, as
 * JSON.stringify writes it, and as it always was; the checks do not look into one.
 */

/**
 * How deep plain data is looked into (levels of objects and arrays below the top).
 * @internal
 */
export const PLAIN_DATA_DEPTH = 64;

/**
 * The kind of a value that an object is expected to be but whose content a reading of its own
 * keys would miss, such as "a Map"; `undefined` for anything else (plain objects and arrays, class
 * instances, and every value that is not an object).
 *
 * @example
 * ```ts
 * hiddenContentKind(new Map([["hours", 2]])); // "a Map"
 * hiddenContentKind(new Date(0)); // "a Date"
 * hiddenContentKind({ hours: 2 }); // undefined
 * ```
 * @internal
 */
export function hiddenContentKind(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  // An object literal (the common case, on hot paths: every duration and options object) is
  // answered by its prototype alone; the tag is read only for other objects.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null || Array.isArray(value)) return undefined;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === "Object") return undefined;
  return `${/^[AEIO]/.test(tag) ? "an" : "a"} ${tag}`; // "a Uint8Array", "an Int8Array"
}

/**
 * Where in `input` (a tree of plain objects and arrays) the first value of a hidden content kind
 * (see {@link hiddenContentKind}) is, depth first, and what it is. Only plain objects (of
 * `Object.prototype` or none) and arrays are looked into, each once, so a cycle ends the walk, and
 * no deeper than {@link PLAIN_DATA_DEPTH} levels (no spec goes half as deep; the schema refuses
 * what lies below, and a recursive walk of a hostile nesting would overflow the stack).
 *
 * @example
 * ```ts
 * findHiddenContent({ weekly: new Map() }); // { path: ["weekly"], kind: "a Map" }
 * findHiddenContent({ weekly: { mon: [["08:00", "16:00"]] } }); // undefined
 * ```
 * @internal
 */
export function findHiddenContent(input: unknown): { path: (string | number)[]; kind: string } | undefined {
  const seen = new Set<object>();
  const path: (string | number)[] = [];
  const walk = (value: unknown): string | undefined => {
    const kind = hiddenContentKind(value);
    if (kind !== undefined) return kind;
    if (typeof value !== "object" || value === null || seen.has(value) || path.length >= PLAIN_DATA_DEPTH)
      return undefined;
    const isArray = Array.isArray(value);
    const proto = Object.getPrototypeOf(value) as unknown;
    if (!isArray && proto !== Object.prototype && proto !== null) return undefined;
    seen.add(value);
    for (const [key, item] of Object.entries(value)) {
      path.push(isArray ? Number(key) : key);
      const found = walk(item);
      if (found !== undefined) return found;
      path.pop();
    }
    return undefined;
  };
  const kind = walk(input);
  return kind === undefined ? undefined : { path, kind };
}

/**
 * The message for a value of a hidden content kind where plain data is expected.
 *
 * @example
 * ```ts
 * hiddenContentMessage("a Set");
 * // "expected plain data (objects, arrays, strings, numbers), got a Set, whose values are not its keys (Array.from(set) makes the array)"
 * ```
 * @internal
 */
export function hiddenContentMessage(kind: string): string {
  const hint =
    kind === "a Map"
      ? ", whose entries are not its keys (Object.fromEntries(map) makes the object)"
      : kind === "a Set"
        ? ", whose values are not its keys (Array.from(set) makes the array)"
        : kind === "a Date"
          ? ' (write a date as a string such as "2026-04-02")'
          : "";
  return `expected plain data (objects, arrays, strings, numbers), got ${kind}${hint}`;
}
