/**
 * Text from AWS or from images (reasons, descriptions, names) rendered inert in GitHub markdown: no HTML, no
 * emphasis or links, no autolinks, no @mentions and no #references. The result is always one line.
 */

const ZERO_WIDTH_SPACE = "\u200b";
const HTML: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

export function escapeText(value: unknown): string {
  return (
    String(value ?? "")
      .replace(/[\r\n\t]+/g, " ")
      // Controls and bidi overrides can disguise what a line says.
      .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, "")
      .replace(/[&<>"]/g, (c) => HTML[c] ?? c)
      .replace(/[\\`*_{}[\]()#!|~]/g, (c) => `\\${c}`)
      // GitHub links @user, #123, GH-123, emails and bare URLs after markdown parsing; a zero-width space breaks them.
      .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
      .replace(/#/g, `#${ZERO_WIDTH_SPACE}`)
      .replace(/\b(GH)-(?=\d)/gi, `$1-${ZERO_WIDTH_SPACE}`)
      .replace(/(www|https?|ftp)(\\?[.:])/gi, `$1${ZERO_WIDTH_SPACE}$2`)
  );
}

/** Escaped text in a monospace span: the content is escaped, the `<code>` tag is ours. */
export function code(value: unknown): string {
  return `<code>${escapeText(value)}</code>`;
}

/** Cuts to `max` characters (before escaping), marking the cut. */
export function clip(value: unknown, max: number): string {
  const text = String(value ?? "");
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A markdown table; cells are markdown already (escape untrusted parts before). */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\n/g, " ")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * A link whose target we built (console and CVE URLs). Only http(s) URLs are linked; anything else is shown as
 * escaped text.
 */
export function link(text: string, url: string | undefined): string {
  if (!url || !/^https:\/\/[^\s<>()"]+$/.test(url)) return escapeText(text);
  return `[${escapeText(text)}](${url})`;
}
