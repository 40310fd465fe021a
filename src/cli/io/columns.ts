import { readFileSync } from "node:fs";
import { UsageError } from "../load";
import { columnName } from "./read-records";
import { FIELDS } from "./row-to-ticket";
import { copiesAsShown, jsonList, jsonLiteral } from "../format";

// Which header column feeds which field of a ticket: the built-in help-desk profiles, a mapping the
// user writes (`--columns`), and the checks that keep a header from being read wrongly in silence
// (a required field missing, a zone column nobody mapped).

export { FIELDS } from "./row-to-ticket";

/**
 * A field a CSV column can feed.
 *
 * @example
 * ```ts
 * const field: Field = "created_at";
 * ```
 */
export type Field = (typeof FIELDS)[number];

/** Other names a mapping may use for a field. */
const FIELD_ALIASES: Readonly<Record<string, Field>> = { zone: "timezone", time_zone: "timezone" };

/**
 * The fields every export must feed.
 *
 * @example
 * ```ts
 * REQUIRED_FIELDS; // ["id", "priority", "created_at"]
 * ```
 */
export const REQUIRED_FIELDS = ["id", "priority", "created_at"] as const satisfies readonly Field[];

/**
 * A built-in mapping for one help desk's CSV export: which of its headers feeds which field, the
 * headers that identify it (all must be present for it to be detected), and the date format its
 * exports use when it is not ISO-8601 (luxon tokens).
 *
 * @example
 * ```ts
 * PROFILES.find((p) => p.id === "jsm")?.columns.created_at; // "Created"
 * ```
 */
export interface ExportProfile {
  readonly id: "zendesk" | "jsm" | "freshdesk";
  readonly name: string;
  readonly columns: Readonly<Partial<Record<Field, string>>>;
  readonly signature: readonly string[];
  readonly dateFormat?: string;
  /**
   * Headers of this help desk's export that normalise to a field's name but hold something else
   * (Zendesk's `Reopens` and `Replies` are counts, not instants): under the profile they feed
   * nothing, unless `--columns` maps them, and are not named as unread.
   */
  readonly notFields?: readonly string[];
}

/**
 * The built-in profiles (docs/cli.md, "Help-desk exports", says which export columns each relies on).
 * None maps a first-response timestamp for Zendesk or Jira Service Management: their CSV exports
 * carry the first reply as a duration ("First reply time in minutes", "Time to first response"),
 * not as an instant.
 *
 * @example
 * ```ts
 * PROFILES.map((p) => p.id); // ["zendesk", "jsm", "freshdesk"]
 * ```
 */
export const PROFILES: readonly ExportProfile[] = [
  {
    id: "zendesk",
    name: "Zendesk",
    columns: { id: "Id", priority: "Priority", created_at: "Created at", resolved_at: "Solved at" },
    signature: ["Id", "Priority", "Created at", "Solved at"],
    notFields: ["Reopens", "Replies"],
  },
  {
    id: "jsm",
    name: "Jira Service Management",
    columns: { id: "Issue key", priority: "Priority", created_at: "Created", resolved_at: "Resolved" },
    signature: ["Issue key", "Priority", "Created"],
    // Jira's default "complete date/time format" (look-and-feel settings), 02/Apr/26 11:00 AM, as
    // far as known: not checked against a live export (docs/cli.md says so). ISO-8601 cells are
    // read anyway, and --date-format replaces it.
    dateFormat: "dd/MMM/yy h:mm a",
  },
  {
    id: "freshdesk",
    name: "Freshdesk",
    columns: {
      id: "Ticket ID",
      priority: "Priority",
      created_at: "Created time",
      responded_at: "Initial response time",
      resolved_at: "Resolved time",
    },
    signature: ["Ticket ID", "Priority", "Created time"],
  },
];

/**
 * Reads a `--columns` value: `field=Header` pairs separated by commas
 * (`id=Ticket ID,created_at=Created at`), or the path of a JSON file holding an object
 * `{ "id": "Ticket ID", … }`. Fields are checked ({@link FIELDS}; `zone` means `timezone`).
 *
 * @example
 * ```ts
 * parseColumnMapping("id=Ticket ID,created_at=Created at"); // { id: "Ticket ID", created_at: "Created at" }
 * ```
 */
export function parseColumnMapping(text: string): Partial<Record<Field, string>> {
  const entries = pairsOrJson(text, "--columns", "field=Header");
  const mapping: Partial<Record<Field, string>> = {};
  for (const [key, header] of entries) {
    const name = columnName(key);
    const field = (FIELD_ALIASES[name] ?? name) as Field;
    if (!(FIELDS as readonly string[]).includes(field))
      throw new UsageError(`--columns: "${key}" is not a field; the fields are ${FIELDS.join(", ")}`);
    if (header.trim() === "") throw new UsageError(`--columns: the header for ${field} is empty`);
    if (mapping[field] !== undefined) throw new UsageError(`--columns: ${field} is mapped twice`);
    mapping[field] = header.trim();
  }
  return mapping;
}

/**
 * `key=value` pairs separated by commas, or, when the text ends in `.json`, the string entries of
 * the JSON object in that file. A `UsageError` names `flag` for anything else.
 *
 * @example
 * ```ts
 * pairsOrJson("Urgent=1,High=2", "--priority-map", "Label=priority"); // [["Urgent", "1"], ["High", "2"]]
 * ```
 */
export function pairsOrJson(text: string, flag: string, shape: string): [string, string][] {
  if (text.trim().toLowerCase().endsWith(".json")) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(text.trim(), "utf8"));
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${text}: ${(e as Error).message}`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json))
      throw new UsageError(`${flag}: ${text} must hold a JSON object, { "${shape.replace("=", '": "')}" }`);
    return Object.entries(json).map(([k, v]) => {
      if (typeof v !== "string" && typeof v !== "number")
        throw new UsageError(`${flag}: ${text}: the value of "${k}" must be text`);
      return [k, String(v)];
    });
  }
  return text
    .split(",")
    .filter((pair) => pair.trim() !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new UsageError(`${flag}: "${pair.trim()}" is not ${shape}`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    });
}

/**
 * The `--columns` option that maps each field to its header (as the file writes it), for a message
 * to show, written to be pasted into a POSIX shell. Inline in single quotes (a quote in a header
 * written `'\''`) when every header can be written so; otherwise as a JSON file to make: the inline
 * form cannot hold a header with a comma (it separates the pairs) or one ending in `.json` (the
 * value names a file then), and a control character would not survive the terminal.
 *
 * @example
 * ```ts
 * columnsOption([["timezone", "Customer's zone"]]); // "--columns 'timezone=Customer'\\''s zone'"
 * columnsOption([["timezone", "Zone, requester"]]);
 * // '--columns columns.json, a file holding { "timezone": "Zone, requester" }'
 * ```
 */
export function columnsOption(pairs: readonly (readonly [string, string])[]): string {
  const inline = pairs.every(
    ([, header]) => !header.includes(",") && copiesAsShown(header) && !/\.json\s*$/i.test(header),
  );
  if (inline) {
    const text = pairs.map(([field, header]) => `${field}=${header}`).join(",");
    return `--columns '${text.replace(/'/g, "'\\''")}'`;
  }
  const entries = pairs.map(([field, header]) => `${jsonLiteral(field)}: ${jsonLiteral(header)}`);
  return `--columns columns.json, a file holding { ${entries.join(", ")} }`;
}

/**
 * A header that names a time zone (`Time zone`, `TZ`, `Requester timezone`, Jira's
 * `Custom field (Time zone)`): the word between any non-alphanumeric characters, not inside a word.
 */
const ZONE_LIKE = /(?:^|[^a-z0-9])(?:tz|zone|time_?zone)(?:$|[^a-z0-9])/;

/**
 * Whether a column or key name (normalised by `columnName`) looks like a time zone other than the
 * `timezone` field itself: such a column must be mapped or waved off, never silently ignored.
 *
 * @example
 * ```ts
 * looksLikeZone("requester_time_zone"); // true
 * looksLikeZone("timezone"); // false: that one is read
 * ```
 */
export function looksLikeZone(name: string): boolean {
  return name !== "timezone" && ZONE_LIKE.test(name);
}

/**
 * Options of {@link HeaderNamer}.
 *
 * @example
 * ```ts
 * const options: HeaderOptions = { profile: "zendesk", columns: { timezone: "Requester time zone" } };
 * ```
 */
export interface HeaderOptions {
  /** A profile to use; default: detected when the header matches exactly one. */
  readonly profile?: ExportProfile["id"];
  /** The user's mapping, over the profile's. */
  readonly columns?: Partial<Record<Field, string>>;
  /** Read wall times in the policy's zone even though a column looks like a zone nobody mapped. */
  readonly ignoreZoneColumns?: boolean;
}

/**
 * Names the columns of a CSV header for the reader: the mapped ones by their field, the others by
 * their own normalised name (a header that already says `created_at` feeds `created_at`; beside a
 * profile's column for that field, the reader refuses the two, unless `columns` chose one). The profile
 * is the one asked for, else the one profile whose headers are all present (none when several are,
 * or the header already has the three required columns and no profile fits). Throws a `UsageError`
 * listing the headers found, with a `--columns` to write, when a required field has no column or a
 * mapped header is not in the file, and for a column that looks like a time zone but feeds nothing
 * (unless `ignoreZoneColumns`): reading its rows in the policy's zone would be a silent wrong answer.
 * After {@link HeaderNamer.name}, `profile` says which profile was used and whether it was detected,
 * and `unread` lists the headers that look like a response or resolution instant but feed nothing
 * (not a status such as `First response status`).
 *
 * @example
 * ```ts
 * const namer = new HeaderNamer({});
 * namer.name(["Ticket ID", "Priority", "Created time"]); // ["id", "priority", "created_at"]
 * namer.profile?.id; // "freshdesk"
 * ```
 */
export class HeaderNamer {
  readonly #options: HeaderOptions;
  /** The profile used, once the header was named. */
  profile: ExportProfile | undefined;
  /** Whether the profile was detected rather than asked for. */
  detected = false;
  /** Headers that look like a response or resolution but feed nothing (for a note on stderr). */
  unread: string[] = [];
  /**
   * The header as the export writes it, by the field it feeds, where that header is not a spelling
   * of the field (`Solved at` for `resolved_at`, under the Zendesk profile): for row errors.
   */
  headers: ColumnHeaders = {};

  constructor(options: HeaderOptions) {
    this.#options = options;
  }

  /** The column names of a header (see the class). */
  name(header: readonly string[]): string[] {
    const cells = header.map((c) => c.trim());
    const normal = cells.map(columnName);
    const has = (header: string) => normal.includes(columnName(header));
    let profile = PROFILES.find((p) => p.id === this.#options.profile);
    // Detected also under --columns: a mapping of one column must not leave a profile's others unread.
    if (this.#options.profile === undefined) {
      const fitting = PROFILES.filter((p) => p.signature.every(has));
      if (fitting.length === 1) {
        profile = fitting[0];
        this.detected = true;
      }
    }
    this.profile = profile;
    const mapping: Partial<Record<Field, string>> = { ...profile?.columns, ...this.#options.columns };
    const byHeader = new Map<string, Field>();
    for (const [field, header] of Object.entries(mapping) as [Field, string][]) {
      if (!has(header)) {
        // A profile's optional column may be missing; a header the user named must be there.
        if (this.#options.columns?.[field] === undefined && !(REQUIRED_FIELDS as readonly string[]).includes(field))
          continue;
        throw new UsageError(
          `${this.#options.columns?.[field] === undefined ? `the ${profile?.name ?? ""} profile` : "--columns"} maps ${field} to "${header}", which the CSV header does not have; it has ${jsonList(cells)}`,
        );
      }
      byHeader.set(columnName(header), field);
    }
    const mapped = new Set(byHeader.values());
    const notFields = new Set((profile?.notFields ?? []).map(columnName));
    const names = normal.map((n) => {
      const field = byHeader.get(n);
      if (field !== undefined) return field;
      // The help desk's own column of that name holds something else (a count, not instants).
      if (notFields.has(n)) return `${n} (${profile?.id ?? ""}'s own)`;
      // A column named like a field that --columns gave another column: not read. Beside a profile's
      // column it keeps its name, so the reader refuses the two as one column read twice: which was
      // meant cannot be known.
      return mapped.has(n as Field) && this.#options.columns?.[n as Field] !== undefined ? `${n} (not mapped)` : n;
    });
    const missing = REQUIRED_FIELDS.filter((f) => !names.includes(f));
    if (missing.length > 0) throw new UsageError(missingMessage(missing, cells, normal));
    this.headers = {};
    names.forEach((name, i) => {
      if (name !== normal[i] && (FIELDS as readonly string[]).includes(name)) this.headers[name] = cells[i] as string;
    });
    if (!this.#options.ignoreZoneColumns) {
      // A column renamed above ("timezone (not mapped)") is one another column's mapping replaced.
      const zoneLike = cells.filter((_, i) => names[i] === normal[i] && looksLikeZone(names[i] as string));
      if (zoneLike.length > 0)
        throw new UsageError(
          `the CSV column ${jsonLiteral(zoneLike[0])} looks like a time zone, but nothing reads it: the rows' wall times would be ` +
            `read in the policy's zone. Map it with ${columnsOption([["timezone", zoneLike[0] as string]])} to read each row in its zone, ` +
            `or pass --ignore-zone-column to read them in the policy's zone`,
        );
    }
    this.unread = cells.filter(
      (_, i) =>
        !(FIELDS as readonly string[]).includes(names[i] as string) &&
        !notFields.has(normal[i] as string) &&
        EVENT_LIKE.test(names[i] as string) &&
        !STATUS_LIKE.test(names[i] as string),
    );
    return names;
  }
}

/**
 * The headers of an export by the field each feeds, where the header is not a spelling of its field
 * (a profile's or a `--columns` mapping's column).
 *
 * @example
 * ```ts
 * const headers: ColumnHeaders = { resolved_at: "Solved at" };
 * ```
 */
export type ColumnHeaders = Partial<Record<string, string>>;

/**
 * A message about a cell whose leading field (`resolved_at: …`, `pauses (pair 1, start): …`,
 * `events[0].at: …`) is read from a column headed otherwise: that field named by the header as the
 * export writes it as well, `column "Solved at" (resolved_at): …`, so that a user of a help desk's
 * export finds the column. The header is quoted as JSON quotes a string (`column "Ärende \"nr\""`,
 * see `jsonLiteral`): a `"` in it would otherwise end the quotes early. Any other message is
 * returned as it is.
 *
 * @example
 * ```ts
 * withColumnHeader('resolved_at: "31/02/2026 10:00" is not …', { resolved_at: "Solved at" });
 * // 'column "Solved at" (resolved_at): "31/02/2026 10:00" is not …'
 * withColumnHeader("pauses (pair 1, start): …", { pauses: "Waiting" }); // 'column "Waiting" (pauses, pair 1, start): …'
 * withColumnHeader("id: missing", { id: 'Ärende "nr"' }); // 'column "Ärende \\"nr\\"" (id): missing'
 * ```
 */
export function withColumnHeader(message: string, headers: Readonly<ColumnHeaders> | undefined): string {
  const field = /^[a-z_]+/.exec(message)?.[0];
  const colon = message.indexOf(": ");
  if (headers === undefined || field === undefined || colon < 0) return message;
  if (!Object.prototype.hasOwnProperty.call(headers, field)) return message;
  const rest = message.slice(field.length, colon);
  if (rest.includes('"')) return message;
  const detail = /^ \((.*)\)$/.exec(rest);
  const path = rest === "" ? field : detail !== null ? `${field}, ${detail[1]}` : `${field}${rest}`;
  return `column ${jsonLiteral(headers[field])} (${path})${message.slice(colon)}`;
}

/**
 * A header that may hold a response or resolution instant (`Solved at`, `First reply`, `Closed time`,
 * Jira's `Resolution date`). A plain `Resolution` is left out: Jira's holds the status text ("Done").
 */
const EVENT_LIKE = /resolv|solved|respon|repl|closed|resolution_(?:date|time|at)|completed|answered/;

/**
 * A header that names a status, not an instant (Freshdesk's `First response status`, "Within SLA"
 * or "SLA Violated"): the word anywhere in it, not inside another word. Left out of the unread.
 */
const STATUS_LIKE = /(?:^|[^a-z0-9])(?:status|state)(?:$|[^a-z0-9])/;

/** Words that suggest which header feeds a required field, for the `--columns` the error shows. */
const HINTS: Readonly<Record<(typeof REQUIRED_FIELDS)[number], RegExp>> = {
  id: /(?:^|_)(?:id|key|number|nr|no)(?:$|_)|ticket/,
  priority: /priorit|prio|severity|urgency/,
  created_at: /creat|open|submit|received|start/,
};

function missingMessage(missing: readonly string[], cells: readonly string[], normal: readonly string[]): string {
  const guess = (field: (typeof REQUIRED_FIELDS)[number]) => {
    const i = normal.findIndex((n) => HINTS[field].test(n));
    return i < 0 ? `<the ${field.replace("_", " ")} column>` : (cells[i] as string);
  };
  const suggestion = columnsOption(REQUIRED_FIELDS.map((f) => [f, guess(f)] as const));
  return (
    `the CSV header has no ${missing.map((c) => `"${c}"`).join(", ")} column${missing.length > 1 ? "s" : ""} ` +
    `and matches no built-in profile (${PROFILES.map((p) => p.id).join(", ")}); it has ${jsonList(cells)}. ` +
    `Say which column is which, e.g. ${suggestion} (add responded_at=…, resolved_at=… when the export has them)`
  );
}
