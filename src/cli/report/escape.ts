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
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
