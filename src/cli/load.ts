import { readFileSync } from "node:fs";
import { createCalendar, type Calendar } from "../calendar/calendar";
import type { CalendarSpec } from "../calendar/spec";
import { SlaClockError } from "../errors";
import type { PolicySpec } from "../policy/spec";
import {
  getCalendar,
  getPolicy,
  listCalendars,
  listPolicies,
  type PresetCalendarId,
  type PresetPolicyId,
} from "../presets/registry";
import { definePolicy, type Policy } from "../clock/policy";
import type { RowPolicies } from "./run";
import { jsonLiteral } from "./format";

/**
 * A problem with how the CLI was called (exit code 2).
 *
 * @example
 * ```ts
 * throw new UsageError("unknown format \"xml\"; use csv, json or ndjson");
 * ```
 */
export class UsageError extends Error {}

/**
 * The text of every input file this run has read (a `.json` spec, a `--closures` feed), by path as
 * given: read once, then served from here. The parallel `evaluate` hands it to its workers
 * ({@link useInputTexts}), so that they build the policy from the bytes the main thread read — a
 * spec edited during a run gave rows judged by the old and by the new one in one output.
 */
const inputTexts = new Map<string, string>();

/**
 * A file's text, as the run first read it (see {@link inputTexts}).
 *
 * @example
 * ```ts
 * readInputText("policy.json"); // the same text however often asked, even if the file changes
 * ```
 * @internal
 */
export function readInputText(path: string): string {
  let text = inputTexts.get(path);
  if (text === undefined) {
    text = readFileSync(path, "utf8");
    inputTexts.set(path, text);
  }
  return text;
}

/**
 * Records a file's text read elsewhere (asynchronously: a feed), as {@link readInputText} would.
 * @internal
 */
export function rememberInputText(path: string, text: string): void {
  inputTexts.set(path, text);
}

/** The input files read so far, for a worker's {@link useInputTexts}. @internal */
export function inputTextsRead(): Readonly<Record<string, string>> {
  return Object.fromEntries(inputTexts);
}

/** Serves these texts (the main thread's reads) in place of the files. @internal */
export function useInputTexts(texts: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(texts)) inputTexts.set(path, text);
}

/** Forgets the texts read: a new run (in the same process, as tests run the CLI) reads files afresh. @internal */
export function forgetInputTexts(): void {
  inputTexts.clear();
}

/** The text read for `path` by this run, if any. @internal */
export function inputTextOf(path: string): string | undefined {
  return inputTexts.get(path);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readInputText(path)) as unknown;
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * A policy from a preset id or a JSON file holding a `PolicySpec`.
 *
 * @example
 * ```ts
 * loadPolicy("softone-se"); loadPolicy("./acme-policy.json");
 * ```
 */
export function loadPolicy(arg: string): Policy {
  if (arg.endsWith(".json")) return wrap(() => definePolicy(readJson(arg) as PolicySpec));
  if (!listPolicies().some((p) => p.id === arg)) {
    throw new UsageError(
      `unknown policy "${arg}"; built-in policies: ${listPolicies()
        .map((p) => p.id)
        .join(", ")} (or a .json file with a policy spec)`,
    );
  }
  return getPolicy(arg as PresetPolicyId);
}

/**
 * Whether a calendar-or-policy argument names a policy: a preset policy id (some are also calendar
 * ids) or a .json file holding a `PolicySpec` (one with `priorities`).
 */
export function namesPolicy(arg: string): boolean {
  if (arg.endsWith(".json")) {
    const json = readJson(arg);
    return typeof json === "object" && json !== null && "priorities" in json;
  }
  return listPolicies().some((p) => p.id === arg);
}

/**
 * A calendar from a preset calendar id, a preset policy id (its calendar), or a JSON file holding a
 * `CalendarSpec` or a `PolicySpec`.
 *
 * @example
 * ```ts
 * loadCalendar("softone-fi"); loadCalendar("trinax-alert");
 * ```
 */
export function loadCalendar(arg: string): Calendar {
  if (arg.endsWith(".json")) {
    const json = readJson(arg);
    if (typeof json === "object" && json !== null && "priorities" in json)
      return wrap(() => definePolicy(json as PolicySpec).calendar);
    return wrap(() => createCalendar(json as CalendarSpec));
  }
  if ((listCalendars() as readonly string[]).includes(arg)) return getCalendar(arg as PresetCalendarId);
  if (listPolicies().some((p) => p.id === arg)) return getPolicy(arg as PresetPolicyId).calendar;
  throw new UsageError(
    `unknown calendar "${arg}"; built-in calendars: ${listCalendars().join(", ")} (a policy id or a .json file works too)`,
  );
}

/**
 * The policies a row's `policy` cell may name: the command's own policy (`fallback`, also the
 * policy of rows whose cell is empty) by its id, and every built-in policy by its id, matched
 * without regard to case or surrounding spaces. A JSON spec's id names that spec; it wins over a
 * built-in policy of the same id. Never a file path: the data does not decide which files the CLI
 * reads.
 *
 * @example
 * ```ts
 * const policies = rowPolicies(loadPolicy("./acme.json"));
 * policies.byName("acme") === policies.fallback; // true
 * policies.byName("MOCH-Standard")?.id; // "moch-standard"
 * ```
 */
export function rowPolicies(fallback: Policy): RowPolicies {
  const presets = listPolicies().map((p) => p.id);
  const names = [fallback.id, ...presets.filter((id) => id !== fallback.id)];
  const byKey = new Map(names.map((n) => [n.toLowerCase(), n]));
  return {
    fallback,
    names,
    possible: () => names.map((n) => (n === fallback.id ? fallback : getPolicy(n as PresetPolicyId))),
    refusal: (name) =>
      `policy: ${jsonLiteral(name)} is not a policy sla-clock knows; valid policies are ${names.join(", ")} (a built-in id, or the id of the command's policy)`,
    byName(name) {
      const id = byKey.get(name.trim().toLowerCase());
      if (id === undefined) return undefined;
      return id === fallback.id ? fallback : getPolicy(id as PresetPolicyId);
    },
  };
}

/**
 * The policies a `report` takes per row: every policy given on the command line (the command's own
 * and each `--compare` one, by id; a JSON spec's id wins over a built-in policy of the same id) and
 * every built-in policy, matched as {@link rowPolicies} does. A row whose `policy` cell is empty is
 * the first given policy's (with several given, the report evaluates it under each: see
 * `runReport`); a row naming a policy that is neither is an error row that lists the valid names.
 *
 * @example
 * ```ts
 * const policies = reportPolicies([getPolicy("softone-se"), loadPolicy("./acme.json")]);
 * policies.byName("acme")?.id; // "acme"
 * policies.byName("moch-standard")?.id; // "moch-standard"
 * ```
 */
export function reportPolicies(given: readonly [Policy, ...Policy[]]): RowPolicies {
  const byId = new Map<string, Policy>();
  for (const p of given) if (!byId.has(p.id.toLowerCase())) byId.set(p.id.toLowerCase(), p);
  const presets = listPolicies().map((p) => p.id);
  const names = [...[...byId.values()].map((p) => p.id), ...presets.filter((id) => !byId.has(id.toLowerCase()))];
  const byKey = new Map(names.map((n) => [n.toLowerCase(), n]));
  const policyOf = (id: string) => byId.get(id.toLowerCase()) ?? getPolicy(id as PresetPolicyId);
  return {
    fallback: given[0],
    names,
    possible: () => names.map(policyOf),
    refusal: (name) =>
      `policy: ${jsonLiteral(name)} is not a policy sla-clock knows; valid policies are ${names.join(", ")} (a built-in id, or the id of a policy given to the command)`,
    byName(name) {
      const id = byKey.get(name.trim().toLowerCase());
      return id === undefined ? undefined : policyOf(id);
    },
  };
}
