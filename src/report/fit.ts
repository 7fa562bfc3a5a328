/** Keeps a summary under GitHub's step-summary limit, cutting from the end and saying so. */

/** GitHub rejects a step summary over 1024 KiB. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const CLOSE_DETAILS = "</details>";

/**
 * Joins the sections (most important first) and, when they do not fit in `limit` bytes, keeps the lines that fit,
 * drops a fenced block cut in half (a half diagram does not parse), closes `<details>` left open and appends
 * `note(leftOutBytes)`.
 */
export function fitSections(sections: string[], limit: number, note: (leftOutBytes: number) => string): string {
  const joined = sections.filter(Boolean).join("\n\n");
  const total = bytes(joined);
  if (total <= limit) return `${joined}\n`;
  const reserve = bytes(note(total)) + 16;
  const kept: string[] = [];
  let used = 0;
  let fenceStart = -1;
  let fenceUsed = 0;
  let openDetails = 0;
  for (const line of joined.split("\n")) {
    const size = bytes(line) + 1;
    if (used + size + openDetails * (CLOSE_DETAILS.length + 1) + reserve > limit) break;
    if (line.startsWith("```")) {
      if (fenceStart < 0) {
        fenceStart = kept.length;
        fenceUsed = used;
      } else fenceStart = -1;
    } else if (fenceStart < 0) {
      openDetails += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    }
    kept.push(line);
    used += size;
  }
  if (fenceStart >= 0) {
    kept.length = fenceStart;
    used = fenceUsed;
  }
  const closing = Array<string>(Math.max(0, openDetails)).fill(CLOSE_DETAILS);
  return `${[...kept, ...closing].join("\n")}\n\n${note(total - used)}\n`;
}
