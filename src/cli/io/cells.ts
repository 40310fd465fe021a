import { DateTime, IANAZone } from "luxon";
import type { Policy } from "../../clock/policy";
import { SlaClockError } from "../../errors";
import { UsageError } from "../load";
import { pairsOrJson } from "./columns";
import { RowError } from "./row-to-ticket";
import { jsonLiteral } from "../format";

// How the cells of an export become what the ticket clock reads: instants (through the calendar's
// own `parse`, so every form means what it means everywhere in sla-clock), the row's zone, and
// priorities written as the help desk writes them.

/**
 * How instant cells are written, beyond ISO-8601 and `YYYY-MM-DD HH:mm[:ss]`.
 *
 * @example
 * ```ts
 * const options: InstantFormat = { epoch: "s", dateFormat: "dd/MM/yyyy HH:mm" };
 * ```
 */
export interface InstantFormat {
  /** Cells that are plain numbers are epoch seconds or milliseconds (never guessed from their size). */
  readonly epoch?: "s" | "ms";
  /** A luxon format (`dd/MM/yyyy HH:mm`) for cells that are not ISO-8601. */
  readonly dateFormat?: string;
  /**
   * The id of the help-desk profile whose date format `dateFormat` is (`jsm`), when the user gave
   * no `--date-format`: messages name the format as the profile's, not as a flag never given.
   */
  readonly dateFormatProfile?: string;
}

/** `2026-04-02 11:00`, `2026-04-02 11:00:00`, `2026-04-02 11:00:00 +0200`: a space for the `T`. */
const SPACE_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const SPACE = 0x20;
/** How a `dateFormat` is read: month names in English (Jira's `Apr`), fields in UTC unless the format has a zone. */
const FORMAT_OPTIONS = { zone: "Etc/UTC", setZone: true, locale: "en-US" } as const;

/**
 * Whether a luxon date format reads a text as `instantReader` would, before the instant is checked
 * (its range, its zone): a text it reads and the calendar then refuses is in that format, and the
 * calendar's reason is the one to report.
 *
 * @example
 * ```ts
 * readsInFormat("01/Jan/1850 10:00 AM", "dd/MMM/yy h:mm a"); // true (then out of range)
 * readsInFormat("2026-04-20 02:00", "dd/MMM/yy h:mm a"); // false
 * ```
 */
export function readsInFormat(text: string, dateFormat: string): boolean {
  return DateTime.fromFormat(text.trim(), dateFormat, FORMAT_OPTIONS).isValid;
}

/**
 * Reads instant cells as epoch milliseconds with `calendar.parse`: ISO-8601 as everywhere, a space
 * instead of the `T`, a luxon `dateFormat` when given (tried first; the fields are wall time, or an
 * instant when the format has a zone or offset token: `z`, `Z`, `ZZ`, `ZZZ`), plain numbers as epoch seconds or milliseconds only when
 * `epoch` says which. A wall time is read in `zone` (an IANA name; default the calendar's), with the
 * library's rule for DST gaps and overlaps; a cell with an offset must agree with `zone` (RFC 9557).
 * Throws `SlaClockError` naming `column`; a plain number without `epoch` gets a hint at `--epoch`.
 *
 * @example
 * ```ts
 * const read = instantReader(getPolicy("softone-se").calendar, { dateFormat: "dd/MM/yyyy HH:mm" });
 * read("02/04/2026 11:00", "created_at"); // 1775120400000 (11:00 in Stockholm)
 * read("2026-04-02 11:00", "created_at", "Europe/Helsinki"); // 1775116800000 (11:00 in Helsinki)
 * ```
 */
export function instantReader(
  calendar: Policy["calendar"],
  format: InstantFormat,
): (value: string | number, column: string, zone?: string) => number {
  const scale = format.epoch === "s" ? 1000 : 1;
  const epochMs = (input: string | number, path: string): number => calendar.parse(input, { path }).getTime();
  // Whether the format reads a zone or an offset: a property of the format, found on its first
  // readable cell (luxon's explanation is a second parse, not to be paid for every cell).
  let formatReadsZone: boolean | undefined;
  return (value, column, zone) => {
    if (typeof value === "number") return epochMs(value * scale, column);
    const text = value.trim();
    if (format.epoch !== undefined && PLAIN_NUMBER.test(text)) {
      try {
        return epochMs(Math.round(Number(text) * scale), column);
      } catch (e) {
        throw asWritten(e, String(Math.round(Number(text) * scale)), text, column, "");
      }
    }
    let iso = text;
    if (format.dateFormat !== undefined) {
      const parsed = DateTime.fromFormat(text, format.dateFormat, FORMAT_OPTIONS);
      // The parse default (Etc/UTC) and a zone the cell names (`z`) are both IANA zones: only the
      // default makes the fields a wall time; a named zone or an offset makes them an instant.
      if (parsed.isValid) {
        formatReadsZone ??= DateTime.fromFormatExplain(text, format.dateFormat, FORMAT_OPTIONS).zone !== null;
        iso = formatReadsZone
          ? (parsed.toISO({ includeOffset: true }) as string)
          : parsed.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
      }
    }
    // Only a text with a space after its date can match (ISO-8601's `T` is the common case).
    const spaced = iso.charCodeAt(10) === SPACE ? SPACE_DATE_TIME.exec(iso) : null;
    if (spaced !== null) iso = `${spaced[1]}T${spaced[2]!.replace(",", ".")}${spaced[3] ?? ""}`;
    // Also for the calendar's own zone: the suffix is what makes parse check an offset against it.
    if (zone !== undefined && !iso.includes("[")) iso = `${iso}[${zone}]`;
    try {
      return epochMs(iso, column);
    } catch (e) {
      if (!(e instanceof SlaClockError) || e.code !== "INVALID_INSTANT") throw asWritten(e, iso, text, column, "");
      const hint =
        format.epoch === undefined && PLAIN_NUMBER.test(text)
          ? `; if it is an epoch time, say so with --epoch s or --epoch ms`
          : format.dateFormat === undefined
            ? `; for other date formats (02/04/2026 11:00) pass --date-format with luxon tokens, e.g. 'dd/MM/yyyy HH:mm'`
            : format.dateFormatProfile === undefined
              ? `; it does not match --date-format '${format.dateFormat}' either`
              : `; it does not match the ${format.dateFormatProfile} profile's date format '${format.dateFormat}' either`;
      throw asWritten(e, iso, text, column, hint);
    }
  };
}

/**
 * The calendar's error about an instant cell (`e`, from reading `parsed`), quoting the cell as
 * written (`text`) instead: what was parsed may be a rewriting of it (a `T` for the space, a
 * `--date-format` reading, the row's zone added as `[Europe/Helsinki]`, epoch seconds as
 * milliseconds), which the user cannot find in the export. Other errors are returned as they are.
 */
function asWritten(e: unknown, parsed: string, text: string, column: string, hint: string): unknown {
  if (!(e instanceof SlaClockError)) return e;
  const prefix = `${column}: `;
  const why = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  const quoted = `"${parsed}"`;
  // The message quotes what it read, or (out of range) names the instant it read it as.
  const reworded = why.includes(quoted) ? why.split(quoted).join(jsonLiteral(text)) : `${jsonLiteral(text)}: ${why}`;
  return new SlaClockError(e.code, `${prefix}${reworded}${hint}`, { ...e.details, value: text, path: column });
}

/**
 * The instant of a `--now` flag: `now` (or none) is the current time; anything else is read as an
 * export's instant cells are (ISO-8601, a space for the `T`, `--date-format`, `--epoch`), wall
 * times in the calendar's zone. It was ISO-8601 only, where `deadline` took `now` and a space.
 *
 * @example
 * ```ts
 * nowOf(getPolicy("softone-se").calendar, "2026-04-07 12:00"); // 1775556000000
 * nowOf(getPolicy("softone-se").calendar, "now"); // Date.now()
 * ```
 */
export function nowOf(calendar: Policy["calendar"], text: string | undefined, format: InstantFormat = {}): number {
  if (text === undefined || text.trim().toLowerCase() === "now") return Date.now();
  return instantReader(calendar, format)(text, "--now");
}

/**
 * The `now` an export is evaluated at: epoch milliseconds, or `--now` still to be read once the
 * export's header is read — as a function of the cells' instant format then known (the user's
 * `--date-format`, else the date format of the help-desk profile the header was detected as).
 *
 * @example
 * ```ts
 * const now: ExportNow = (format) => nowOf(getPolicy("softone-se").calendar, "20/Apr/26 2:00 AM", format);
 * ```
 */
export type ExportNow = number | ((format: InstantFormat) => number);

/**
 * The zone of a row's `timezone` cell: undefined when empty (the calendar's zone), else the IANA name,
 * or a `RowError` for a zone the time-zone database does not know.
 *
 * @example
 * ```ts
 * rowZone("Europe/Helsinki"); // "Europe/Helsinki"
 * rowZone(""); // undefined
 * ```
 */
export function rowZone(cell: unknown): string | undefined {
  const text = typeof cell === "string" ? cell.trim() : "";
  if (text === "") return undefined;
  // luxon's check, as the library's own zone reading uses; a zone it knows that the calendar's
  // parse still refused would be a row error there, never a silent misreading.
  if (!IANAZone.isValidZone(text))
    throw new RowError(`timezone: ${jsonLiteral(text)} is not an IANA time zone (such as Europe/Stockholm or UTC)`);
  return text;
}

/**
 * Reads priority cells as the policy's priority ids: the id itself, `P1`, `Priority 1`, the
 * priority's label and its English label, case-insensitively, and the entries of `map` (`Urgent=1`,
 * read first; each must name a priority of the policy, or it is a `UsageError`). An unknown value is
 * a `RowError` listing the ones that work.
 *
 * @example
 * ```ts
 * const priorityOf = priorityReader(getPolicy("softone-se"), "Urgent=1,High=2");
 * priorityOf("urgent", "priority"); // "1"
 * priorityOf("P3", "priority"); // "3"
 * priorityOf("Prioritet 4", "priority"); // "4"
 * ```
 */
export function priorityReader(policy: Policy, map?: string): (value: string, column: string) => string {
  const known = new Map<string, string>();
  const ambiguous = new Set<string>();
  const ids = policy.priorities.map((p) => String(p.id));
  for (const p of policy.priorities) {
    const id = String(p.id);
    for (const name of [id, `P${id}`, `Priority ${id}`, p.label, p.labelEn]) {
      if (name === undefined) continue;
      const key = name.trim().toLowerCase();
      const before = known.get(key);
      if (before !== undefined && before !== id) ambiguous.add(key);
      else known.set(key, id);
    }
  }
  for (const key of ambiguous) known.delete(key);
  const own = new Map<string, string>();
  if (map !== undefined) {
    for (const [label, to] of pairsOrJson(map, "--priority-map", "Label=priority")) {
      const id = known.get(to.trim().toLowerCase());
      if (id === undefined)
        throw new UsageError(
          `--priority-map: "${to}" (for "${label}") is not a priority of the policy; use ${ids.join(", ")}`,
        );
      own.set(label.trim().toLowerCase(), id);
    }
  }
  const valid =
    `valid priorities are ${ids.join(", ")} (also written P${ids[0]}, Priority ${ids[0]} or a label: ` +
    `${policy.priorities
      .flatMap((p) => (p.labelEn === undefined || p.labelEn === p.label ? [p.label] : [p.label, p.labelEn]))
      .map((l) => `"${l}"`)
      .join(", ")}, in any case)` +
    (own.size === 0 ? "" : ` and the --priority-map values ${[...own.keys()].map((k) => `"${k}"`).join(", ")}`);
  return (value, column) => {
    const key = value.trim().toLowerCase();
    const id = own.get(key) ?? known.get(key);
    if (id !== undefined) return id;
    throw new RowError(
      `${column}: ${jsonLiteral(value)} is not a priority of the policy; ${valid}. Map other values with --priority-map 'Urgent=1,High=2'`,
    );
  };
}
