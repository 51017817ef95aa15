/** Text from inputs placed in HTML text or a quoted attribute: nothing in it can open a tag or end the quote. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A value as JSON inside a `<script type="application/json">`: `<`, `>` and `&` become \u escapes,
 * so a `</script>` or `<!--` in a display name cannot end the script or change how it is parsed;
 * U+2028 and U+2029 are escaped too, as a script would read them as line ends.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
