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

/**
 * A message cage wrote (a verdict, a notice, a hint), which may hold AWS text made inert. Its only markup is the
 * code span: text between two backticks (`cage cleanup`, `command: up`) is shown as code; all of it is escaped as
 * escapeText does, and a backtick left without a partner is shown as one.
 */
export function prose(value: unknown): string {
  const parts = String(value ?? "").split("`");
  // An even count means the last backtick has no partner: it stays part of the text.
  if (parts.length % 2 === 0) {
    const last = parts.pop() ?? "";
    parts.push(`${parts.pop() ?? ""}\`${last}`);
  }
  return parts.map((part, i) => (i % 2 === 0 ? escapeText(part) : part ? code(part) : "")).join("");
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
 * Hosts a link may point to: AWS's own consoles and advisories (every *.aws.amazon.com host is AWS's; not
 * *.amazonaws.com, where S3 buckets and API gateways are anyone's), and the advisory sites ECR's basic and enhanced
 * scans put in finding URIs. GitHub only for its advisory database.
 */
const LINK_HOSTS = [
  "nvd.nist.gov",
  "cve.mitre.org",
  "www.cve.org",
  "security-tracker.debian.org",
  "ubuntu.com",
  "access.redhat.com",
  "linux.oracle.com",
  "security.alpinelinux.org",
  "www.suse.com",
];
const LINK_PATHS: Record<string, string> = { "github.com": "/advisories/" };

/** Only https, without credentials or a port, to an allowed host; and nothing that could end the markdown link. */
export function isLinkable(url: string): boolean {
  if (!/^https:\/\/[^\s<>()"\\]+$/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname;
  if (host === "aws.amazon.com" || host.endsWith(".aws.amazon.com")) return true;
  if (LINK_HOSTS.includes(host)) return true;
  const path = LINK_PATHS[host];
  return path !== undefined && parsed.pathname.startsWith(path);
}

/** A link to an allowed host (see `isLinkable`); any other URL leaves only the escaped text. */
export function link(text: string, url: string | undefined): string {
  if (!url || !isLinkable(url)) return escapeText(text);
  return `[${escapeText(text)}](${url})`;
}

/** A link to this workflow run: the runner's GITHUB_SERVER_URL names the host, not AWS or a file. */
export function runLink(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s<>()"\\]+$/.test(url)) return escapeText(text);
  return `[${escapeText(text)}](${url})`;
}
