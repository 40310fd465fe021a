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

/**
 * A problem with how the CLI was called (exit code 2).
 *
 * @example
 * ```ts
 * throw new UsageError("unknown format \"xml\"; use csv, json or ndjson");
 * ```
 */
export class UsageError extends Error {}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
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
