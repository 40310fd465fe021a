/**
 * zod, obtained when a validation first needs it rather than when sla-clock is imported (issue 14,
 * docs/performance.md "Cold start and bundle size"). Loading zod is most of what importing sla-clock
 * used to cost, and a well-formed calendar or ticket may never need it (their fast checks accept
 * them without it), so every schema is built by a {@link lazySchema} on first use instead of as a
 * module-level constant, and the module itself comes from ./zod-module: in Node a synchronous
 * `require`, in the `browser`-condition build (dist/browser/) a static import, which a bundler
 * needs in order to include zod. Types come from `import type`, which loads nothing.
 */
import type * as z from "zod/mini";
import { loadToJsonSchema, loadZodModule, type ZodApi } from "./zod-module";

export type { ZodApi } from "./zod-module";

let loaded: ZodApi | undefined;

/**
 * The zod module, loaded on the first call (and the same object on every later one).
 *
 * @example
 * ```ts
 * const schema = zod().string();
 * schema.parse("2026-04-02"); // "2026-04-02"
 * ```
 * @internal
 */
export function zod(): ZodApi {
  loaded ??= loadZodModule();
  return loaded;
}

/**
 * zod's `toJSONSchema`, loaded on the first call (for the JSON Schema writers only).
 *
 * @example
 * ```ts
 * zodToJsonSchema()(zod().string()); // { $schema: "https://json-schema.org/draft/2020-12/schema", type: "string" }
 * ```
 * @internal
 */
export function zodToJsonSchema(): typeof z.toJSONSchema {
  return loadToJsonSchema();
}

/**
 * Memoises a schema builder: `build` runs on the first call of the returned function, with the zod
 * module, and every later call returns the same schema.
 *
 * @example
 * ```ts
 * const nameSchema = lazySchema((z) => z.string().max(200));
 * nameSchema().safeParse("Support").success; // true
 * ```
 * @internal
 */
export function lazySchema<T>(build: (zodApi: ZodApi) => T): () => T {
  let schema: { readonly value: T } | undefined;
  return () => {
    schema ??= { value: build(zod()) };
    return schema.value;
  };
}

/** What a zod schema's definition holds, as far as the key walk below reads it. */
interface SchemaDef {
  readonly type?: string;
  readonly shape?: Record<string, unknown>;
  readonly element?: unknown;
  readonly innerType?: unknown;
  readonly options?: readonly unknown[];
  readonly in?: unknown;
  readonly out?: unknown;
}

const defOf = (schema: unknown): SchemaDef | undefined =>
  (schema as { _zod?: { def?: SchemaDef } } | null | undefined)?._zod?.def;

/**
 * The keys an object schema inside `schema` allows at `path` (an issue's path: keys and array
 * indices), through optionals, arrays, unions and pipes; empty when no object schema lies there.
 * Lets an "unknown key" message say which keys there are, and which one was likely meant.
 *
 * @example
 * ```ts
 * allowedKeysAt(zod().strictObject({ weekly: zod().strictObject({ mon: zod().string() }) }), ["weekly"]); // ["mon"]
 * ```
 * @internal
 */
export function allowedKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>();
  const walk = (s: unknown, at: number, depth: number): void => {
    const def = defOf(s);
    if (def === undefined || depth > 64) return;
    switch (def.type) {
      case "optional":
      case "nullable":
      case "default":
      case "readonly":
      case "nonoptional":
        walk(def.innerType, at, depth + 1);
        return;
      case "pipe":
        walk(def.in, at, depth + 1);
        return;
      case "union":
        for (const option of def.options ?? []) walk(option, at, depth + 1);
        return;
      case "array":
        if (at < path.length && typeof path[at] === "number") walk(def.element, at + 1, depth + 1);
        return;
      case "object": {
        const shape = def.shape ?? {};
        if (at === path.length) for (const key of Object.keys(shape)) found.add(key);
        else if (typeof path[at] === "string" && Object.hasOwn(shape, path[at]))
          walk(shape[path[at]], at + 1, depth + 1);
        return;
      }
      default:
        return;
    }
  };
  walk(schema, 0, 0);
  return [...found];
}

/**
 * The issues to report for one zod issue, at their full paths. zod reports a value that no option
 * of a union accepts as one issue at the value ("expected a date or { date, name }" at
 * `closedDates[0]`), even when the value is plainly one option's kind and only a field inside it is
 * wrong (`{ date, name: 5 }`), which leaves the user to find the field. When exactly one option
 * got past its own type check (none of its issues is an `invalid_type` of the value itself), the
 * value is that option's kind, and that option's issues say what is wrong and where; otherwise
 * (a number where a date or an object is expected) the union's own issue stands.
 *
 * @example
 * ```ts
 * const entry = zod().union([zod().string(), zod().object({ name: zod().string() })]);
 * const [issue] = entry.safeParse({ name: 5 }).error!.issues;
 * issuesOfMatchedOption(issue!).map((i) => i.path); // [["name"]]
 * ```
 * @internal
 */
export function issuesOfMatchedOption(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union") return [issue];
  const matched = issue.errors.filter((option) =>
    option.every((inner) => inner.path.length > 0 || inner.code !== "invalid_type"),
  );
  const [only] = matched;
  if (matched.length !== 1 || only === undefined || only.length === 0) return [issue];
  return only.flatMap((inner) => issuesOfMatchedOption({ ...inner, path: [...issue.path, ...inner.path] }));
}
