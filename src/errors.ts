import { findHiddenContent, hiddenContentKind, hiddenContentMessage } from "./util/plain-data";

/**
 * Every stable error code sla-clock raises, as a list (for tooling and tests). The code never
 * changes between minor versions; the message may be reworded. `docs/errors.md` explains each one
 * and what to do about it.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from "sla-clock";
 * ERROR_CODES.includes("NO_OPEN_TIME"); // true
 * ```
 */
export const ERROR_CODES = Object.freeze([
  "INVALID_CALENDAR_SPEC",
  "INVALID_POLICY_SPEC",
  "INVALID_TICKET",
  "INVALID_INSTANT",
  "INVALID_DATE",
  "INVALID_DURATION",
  "INVALID_ARGUMENT",
  "OUT_OF_RANGE",
  "NO_OPEN_TIME",
  "NO_CLOSING_TIME",
  "UNKNOWN_POLICY",
  "UNKNOWN_CALENDAR",
  "UNKNOWN_PRIORITY",
  "UNKNOWN_METRIC",
  "INVALID_PRESET_OPTIONS",
  "INVALID_ICS",
  "BATCH_REUSED",
] as const);

/**
 * A stable error code (see {@link ERROR_CODES}).
 *
 * @example
 * ```ts
 * import { createCalendar, SlaClockError } from "sla-clock";
 * try {
 *   createCalendar({ zone: "Mars/Olympus_Mons", weekly: {} });
 * } catch (e) {
 *   if (e instanceof SlaClockError && e.code === "INVALID_CALENDAR_SPEC") console.log(e.issues);
 * }
 * ```
 */
export type SlaClockErrorCode = (typeof ERROR_CODES)[number];

/**
 * One problem found while validating input: where (a dotted path such as `weekly.mon[1]`, or
 * `events[3].at`) and what was wrong.
 *
 * @example
 * ```ts
 * const issue: ValidationIssue = { path: "weekly.mon[1]", message: "intervals overlap" };
 * ```
 */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Details attached to an error, beyond its code and message. Which keys are present depends on
 * the code (see `docs/errors.md`): `issues` for validation errors, `ticketId` and `eventIndex` for
 * ticket errors, `valid` for lookups of unknown ids.
 *
 * @example
 * ```ts
 * const details: SlaClockErrorDetails = { ticketId: "T-1", eventIndex: 2 };
 * ```
 */
export interface SlaClockErrorDetails {
  readonly issues?: readonly ValidationIssue[];
  readonly ticketId?: string;
  readonly eventIndex?: number;
  readonly valid?: readonly string[];
  readonly value?: unknown;
  readonly [key: string]: unknown;
}

/**
 * The only error type sla-clock throws on bad input or impossible requests. Check `code` (stable)
 * rather than the message.
 *
 * @example
 * ```ts
 * import { getPolicy, SlaClockError } from "sla-clock";
 * try {
 *   getPolicy("no-such-policy");
 * } catch (e) {
 *   if (e instanceof SlaClockError) console.log(e.code, e.details.valid); // "UNKNOWN_POLICY", [...ids]
 * }
 * ```
 */
export class SlaClockError extends Error {
  /** Stable machine-readable code. */
  readonly code: SlaClockErrorCode;
  /** Structured details: validation issues, ids, indexes. */
  readonly details: SlaClockErrorDetails;

  constructor(code: SlaClockErrorCode, message: string, details: SlaClockErrorDetails = {}) {
    super(message);
    this.name = "SlaClockError";
    this.code = code;
    this.details = Object.freeze({ ...details });
  }

  /**
   * Validation issues, when the error came from validating a spec or a ticket (empty otherwise).
   *
   * @example
   * ```ts
   * try {
   *   createCalendar({ zone: "UTC", weekly: { mon: [["09:00", "25:00"]] } });
   * } catch (e) {
   *   (e as SlaClockError).issues; // [{ path: "weekly.mon[0][1]", message: '"25:00" is not a time of day; …' }]
   * }
   * ```
   */
  get issues(): readonly ValidationIssue[] {
    return this.details.issues ?? [];
  }
}

/** How many issues a validation error's message lists; `issues` holds them all. */
const ISSUES_IN_MESSAGE = 20;

/**
 * Builds a validation error whose message lists the issues with their paths: the first
 * {@link ISSUES_IN_MESSAGE}, and how many more there are (a generated spec with a million repeated
 * dates made a message of a hundred megabytes); `details.issues` has every one.
 * @internal
 */
export function validationError(
  code: SlaClockErrorCode,
  what: string,
  issues: readonly ValidationIssue[],
  extra: SlaClockErrorDetails = {},
): SlaClockError {
  const lines = issues.slice(0, ISSUES_IN_MESSAGE).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length - lines.length;
  if (more > 0) lines.push(`and ${more} more issue${more === 1 ? "" : "s"} (see the error's \`issues\`)`);
  return new SlaClockError(code, `${what}: ${lines.join("; ")}`, { ...extra, issues });
}

/**
 * A value as an error message shows it: as JSON where it has a JSON text (`"x"`, `3`, `{"a":1}`),
 * else as JavaScript writes it (`3n`, `undefined`, `Symbol(s)`, `NaN`), or by its kind ("a
 * function", "an object" when its JSON cannot be made). It never throws: a message about a BigInt
 * priority, a cycle or an object whose `toJSON` throws must not become a `TypeError` of its own.
 *
 * @example
 * ```ts
 * showValue("p1"); // '"p1"'
 * showValue(3n); // "3n"
 * showValue(Object.create(null)); // "{}"
 * ```
 * @internal
 */
export function showValue(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return "a function";
    case "undefined":
      return "undefined";
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? "an array" : "an object";
  }
}

/**
 * A dependency sla-clock loads when first needed (zod) cannot be loaded where it runs: a bundle of
 * the Node build shipped without node_modules, or one for a non-Node target without the `browser`
 * export condition. Not the caller's input: it passes through the reading of a spec unwrapped, its
 * message naming the module and what to do.
 *
 * @example
 * ```ts
 * try {
 *   createCalendar(spec);
 * } catch (e) {
 *   if (e instanceof Error && e.name === "MissingDependencyError") console.error(e.message); // "sla-clock: zod/mini cannot be loaded here …"
 * }
 * ```
 * @internal
 */
export class MissingDependencyError extends Error {
  override readonly name = "MissingDependencyError";
}

/**
 * What a foreign exception says, without running more of the thrower's code than a message read.
 * @internal
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return `reading it threw ${thrown.name}: ${String(thrown.message)}`;
    return `reading it threw ${typeof thrown === "string" ? JSON.stringify(thrown) : typeof thrown}`;
  } catch {
    return "reading it threw";
  }
}

/**
 * Runs `read`, the reading of a caller's spec (before it is copied into sla-clock's own data),
 * turning whatever the input's own code throws (a getter, a Proxy trap) into `code`: "the spec
 * cannot be read: reading it threw …". An SlaClockError passes through.
 * @internal
 */
export function readingInput<T>(code: SlaClockErrorCode, what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof SlaClockError || e instanceof MissingDependencyError) throw e;
    throw validationError(code, what, [{ path: "", message: `the spec cannot be read: ${describeThrown(e)}` }]);
  }
}

/**
 * Refuses a spec with a `Map`, `Set`, `Date` or another built-in whose content is not its own keys
 * where plain data belongs (src/util/plain-data.ts): schema validation would read it as `{}`. Throws
 * `code` with the value's path (under `prefix`); does nothing for plain data.
 * @internal
 */
export function refuseHiddenContent(
  input: unknown,
  code: SlaClockErrorCode,
  what: string,
  prefix: readonly PropertyKey[] = [],
): void {
  const found = findHiddenContent(input);
  if (found === undefined) return;
  throw validationError(code, what, [
    { path: formatPath([...prefix, ...found.path]), message: hiddenContentMessage(found.kind) },
  ]);
}

/**
 * Formats a path of keys and indexes as `a.b[2].c`.
 * @internal
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * Refuses an options object with a key that is not one of `keys`: a misspelt option
 * (`{ metrc: "resolution" }`) was ignored, and the call answered for the default (the response's
 * deadline) without a word. `INVALID_ARGUMENT` names the key, the options there are and the one it
 * was probably meant to be. Own enumerable keys only, as the options are read.
 * @internal
 */
export function refuseUnknownOptions(value: object, keys: readonly string[], what: string): void {
  // An array, or a Map whose entries are not its keys, read key by key would be no options at all
  // (`new Map([["fridayChoice", 72]])` was the default 8 working hours).
  const hidden = Array.isArray(value) ? "an array" : hiddenContentKind(value);
  if (hidden !== undefined)
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `${what} must be an object such as { ${keys[0] ?? ""}: … }, got ${hidden}`,
      {
        value,
        path: what,
      },
    );
  for (const key in value) {
    if (keys.includes(key) || !Object.prototype.hasOwnProperty.call(value, key)) continue;
    const meant = likelyMeant(key, keys);
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `${what}: unknown option "${key}"${meant === undefined ? "" : ` (did you mean "${meant}"?)`}; the options are ${keys.join(", ")}`,
      { value: key, path: `${what}.${key}` },
    );
  }
}

/**
 * The message of unknown keys in a spec: the keys, which known key each was likely meant to be, and
 * the keys allowed there (when the schema tells them).
 *
 * @example
 * ```ts
 * unknownKeysMessage(["Mon"], ["mon", "tue"]); // 'unknown key "Mon" (did you mean "mon"?); the keys here are mon, tue'
 * ```
 * @internal
 */
export function unknownKeysMessage(keys: readonly string[], allowed: readonly string[]): string {
  const named = keys
    .map((k) => {
      const meant = allowed.length === 0 ? undefined : likelyMeant(k, allowed);
      return `"${k}"${meant === undefined ? "" : ` (did you mean "${meant}"?)`}`;
    })
    .join(", ");
  return `unknown key${keys.length > 1 ? "s" : ""} ${named}${allowed.length === 0 ? "" : `; the keys here are ${allowed.join(", ")}`}`;
}

/**
 * The known key a misspelt one is closest to: the same ignoring case, or at most two edits away
 * (three for a key of ten letters or more: "maxPolicy" for "maxPolicies").
 */
function likelyMeant(key: string, keys: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of keys) {
    const limit = known.length >= 10 ? 4 : 3;
    const d = known.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, known, limit);
    if (d < limit && d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance of two short strings, or `limit` once it reaches `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}

/**
 * An options argument as an object: `undefined` (left out) is `{}` unless the options are
 * required; `null`, arrays and other non-objects are `INVALID_ARGUMENT` naming the argument and
 * showing an example.
 * @internal
 */
export function optionsObject(
  value: unknown,
  what: string,
  example: string,
  required = false,
  keys?: readonly string[],
): Readonly<Record<string, unknown>> {
  if (value === undefined && !required) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got =
      value === null || value === undefined
        ? String(value)
        : Array.isArray(value)
          ? "an array"
          : `${typeof value} ${showValue(value)}`;
    throw new SlaClockError("INVALID_ARGUMENT", `${what} must be an object such as ${example}, got ${got}`, {
      value,
      path: what,
    });
  }
  // A Map's entries are not its keys: read as options, `new Map([["reuse", batch]])` would be none.
  const hidden = hiddenContentKind(value);
  if (hidden !== undefined)
    throw new SlaClockError("INVALID_ARGUMENT", `${what} must be an object such as ${example}, got ${hidden}`, {
      value,
      path: what,
    });
  if (keys !== undefined) refuseUnknownOptions(value, keys, what);
  return value as Readonly<Record<string, unknown>>;
}
