/**
 * Escapes text for HTML, SVG and attribute values (quotes included), so ids, labels and policy
 * names from the input always render as text.
 *
 * @example
 * ```ts
 * escapeHtml("<P1 & P2>"); // "&lt;P1 &amp; P2&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  // Most text (ids, dates, words) has nothing to escape: half a million breach rows are written.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITIES[c] ?? c) : text;
}

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
