import type { Calendar } from "../calendar/calendar";

/**
 * An instant as ISO-8601 with the calendar's offset (`2026-04-08T12:00:00+02:00`), through the
 * public {@link Calendar.format}; empty for NaN (a missing value in an output cell).
 *
 * @example
 * ```ts
 * formatLocal(Date.parse("2026-04-08T10:00:00Z"), getCalendar("softone-se")); // "2026-04-08T12:00:00+02:00"
 * ```
 */
export function formatLocal(ms: number, calendar: Calendar): string {
  return Number.isFinite(ms) ? calendar.format(ms) : "";
}

/**
 * Milliseconds as hours with two decimals; empty for NaN.
 *
 * @example
 * ```ts
 * formatHours(5_400_000); // "1.50"
 * ```
 */
export function formatHours(ms: number): string {
  return Number.isFinite(ms) ? (ms / 3_600_000).toFixed(2) : "";
}

/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts colour, cursor and
 * title sequences; CR and BS overwrite), DEL, C1 controls (U+009B is a one-byte CSI), and the
 * bidirectional controls that reorder what follows (U+061C, U+200E–U+200F, U+202A–U+202E,
 * U+2066–U+2069) or break lines (U+2028–U+2029).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Every character of {@link TERMINAL_CONTROLS}, and the other invisible format characters (a
 * zero-width space or joiner, a soft hyphen), which {@link escapeForTerminal} leaves as they are
 * but a copy from the screen may lose.
 */
const NOT_COPYABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * Whether text a message shows can be copied from the terminal as it is: it holds no character of
 * {@link NOT_COPYABLE}. A suggested option that must be pasted back (a `--columns` naming a header)
 * is written another way when it cannot.
 *
 * @example
 * ```ts
 * copiesAsShown("Customer's zone"); // true
 * copiesAsShown("Zone\u001b[31m"); // false
 * ```
 */
export function copiesAsShown(text: string): boolean {
  return !NOT_COPYABLE.test(text);
}

/** Visible forms of the commonest C0 controls. */
const NAMED_CONTROLS: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * Text with every terminal control character (see {@link TERMINAL_CONTROLS}) written visibly as an
 * escape — `\x1b`, `\t`, `\u{202e}` — so that text from an export (a ticket id, a holiday name)
 * cannot recolour the terminal, move the cursor, or reorder a line when printed. For terminal
 * output only: data files keep their values.
 *
 * @example
 * ```ts
 * escapeForTerminal("T-1\u001b[2J"); // "T-1\\x1b[2J"
 * escapeForTerminal("T-\u202e9-T"); // "T-\\u{202e}9-T"
 * ```
 */
export function escapeForTerminal(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (c) => {
    const named = NAMED_CONTROLS[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * The characters JSON.stringify leaves raw (it escapes only C0 controls) that still act on a
 * terminal or reorder a line: DEL, C1 controls, the bidirectional controls and U+2028–U+2029.
 */
const JSON_RAW_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * A value as JSON writes it, with the control characters JSON.stringify leaves raw written as
 * `\uXXXX` escapes too: still valid JSON that reads back as the same value. Also how a message
 * quotes text from the user's file (a header, a cell): a `"` in it cannot end the quotes early, a
 * line break cannot split the message, and no escape sequence reaches a terminal; ordinary text
 * reads as plain quotes would show it.
 *
 * @example
 * ```ts
 * jsonLiteral("Solved at"); // '"Solved at"'
 * jsonLiteral('Ärende "nr"\n'); // '"Ärende \\"nr\\"\\n"'
 * jsonLiteral("Resolved\u001b[2J\u202e"); // '"Resolved\\u001b[2J\\u202e"'
 * ```
 */
export function jsonLiteral(value: unknown): string {
  return JSON.stringify(value).replace(JSON_RAW_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Texts from the user's file listed in a message (an export's headers): each as
 * {@link jsonLiteral} writes it, separated by commas.
 *
 * @example
 * ```ts
 * jsonList(["Id", 'Ärende "nr"']); // '"Id", "Ärende \\"nr\\""'
 * ```
 */
export function jsonList(values: readonly unknown[]): string {
  return values.map(jsonLiteral).join(", ");
}

/**
 * A plain-text table with aligned columns; cells are made safe for a terminal with
 * {@link escapeForTerminal}.
 *
 * @example
 * ```ts
 * textTable(["id", "name"], [["1", "SoftOne"]]); // "id  name   \n--  -------\n1   SoftOne"
 * ```
 */
export function textTable(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = cells.map((row) => row.map(escapeForTerminal));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
