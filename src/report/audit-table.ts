/**
 * The audit's container table, sized for GitHub's job summary (about 1,000 px): short status words and image names
 * in the table, each status's reason as a numbered note below it, the full image references and digests in a
 * `<details>`. A row without a usable scan shows "–", never 0, in its count cells.
 */
import { type ContainerAudit, countsOf, type RowStatus, type ServiceAudit } from "../audit/index.js";
import { clip, code, escapeText, table } from "./escape.js";

const STATUS_WORDS: Record<RowStatus, string> = {
  COMPLETE: "scanned",
  IN_PROGRESS: "in progress",
  PENDING: "pending",
  FAILED: "scan failed",
  UNSUPPORTED_IMAGE: "unsupported",
  SCAN_ELIGIBILITY_EXPIRED: "scan expired",
  FINDINGS_UNAVAILABLE: "unavailable",
  LIMIT_EXCEEDED: "limit exceeded",
  IMAGE_ARCHIVED: "archived",
  NO_SCAN: "no scan",
  NOT_SCANNABLE: "not scannable",
  IMAGE_NOT_FOUND: "image not found",
  ACCESS_DENIED: "access denied",
  SERVICE_NOT_FOUND: "service not found",
  ERROR: "error",
};

const HEADER = [
  "Service · container",
  "Image",
  "Scan",
  "Critical",
  "High",
  "Medium",
  "Low",
  "Other",
  "Fixable",
  "Ignored",
];
const NO_COUNT = "–";
const NO_COUNTS = Array<string>(7).fill(NO_COUNT);

/** The image without its registry host and repository path: `web:v2`, `web@414bad1a243a`. */
export function shortImage(image: string): string {
  const [name = image, digest] = image.split("@");
  const last = name.split("/").pop() || name;
  return digest ? `${last}@${digest.replace(/^sha256:/, "").slice(0, 12)}` : last;
}

function statusCell(status: RowStatus, note: number | undefined): string {
  const word = escapeText(STATUS_WORDS[status]);
  return note === undefined ? word : `${word} <sup>${note}</sup>`;
}

function countCells(c: ContainerAudit): string[] {
  if (c.status !== "COMPLETE") return NO_COUNTS;
  const { severities: s, fixable, ignored } = countsOf(c);
  return [s.CRITICAL, s.HIGH, s.MEDIUM, s.LOW, s.INFORMATIONAL + s.UNDEFINED, fixable, ignored].map(String);
}

/** What "Other" holds, per row, when any row has some. */
function otherNote(services: ServiceAudit[]): string | undefined {
  const parts: string[] = [];
  for (const s of services) {
    for (const c of s.containers) {
      if (c.status !== "COMPLETE") continue;
      const counts = countsOf(c).severities;
      if (counts.INFORMATIONAL + counts.UNDEFINED === 0) continue;
      parts.push(
        `${escapeText(`${s.cluster}/${s.service} ${c.name}`)}: ${counts.INFORMATIONAL} INFORMATIONAL, ${counts.UNDEFINED} UNDEFINED`,
      );
    }
  }
  return parts.length > 0
    ? `Other counts INFORMATIONAL and UNDEFINED (not rated yet) findings: ${parts.join("; ")}.`
    : undefined;
}

function imageList(services: ServiceAudit[]): string | undefined {
  const lines: string[] = [];
  for (const s of services) {
    for (const c of s.containers) {
      const index = c.indexDigest
        ? ` (the ${escapeText(c.architecture ?? "")} image of index ${code(c.indexDigest)})`
        : "";
      const digests = c.digest ? ` ${code(c.digest)}${index}` : "";
      lines.push(`- ${escapeText(`${s.cluster}/${s.service} ${c.name}`)}: ${code(c.image)}${digests}`);
    }
  }
  return lines.length > 0
    ? `<details><summary>Images and digests</summary>\n\n${lines.join("\n")}\n\n</details>`
    : undefined;
}

/** The table, the notes on its rows and the list of images, as markdown sections. */
export function containerSections(services: ServiceAudit[]): string[] {
  const rows: string[][] = [];
  const notes: string[] = [];
  const noteOf = (where: string, status: RowStatus, reason: string | undefined) => {
    notes.push(`${escapeText(where)}: ${escapeText(status)}${reason ? `: ${escapeText(clip(reason, 500))}` : ""}`);
    return notes.length;
  };
  for (const s of services) {
    const where = `${s.cluster}/${s.service}`;
    if (s.error) {
      const note = noteOf(where, s.error.status, s.error.reason);
      rows.push([escapeText(where), "", statusCell(s.error.status, note), ...NO_COUNTS]);
      continue;
    }
    for (const c of s.containers) {
      const note = c.status === "COMPLETE" && !c.reason ? undefined : noteOf(`${where} ${c.name}`, c.status, c.reason);
      rows.push([
        `${escapeText(where)} · ${escapeText(c.name)}`,
        code(shortImage(c.image)),
        statusCell(c.status, note),
        ...countCells(c),
      ]);
    }
  }
  const sections = [table(HEADER, rows)];
  const other = otherNote(services);
  if (notes.length > 0) sections.push(notes.map((n, i) => `${i + 1}. ${n}`).join("\n"));
  if (other) sections.push(other);
  const images = imageList(services);
  if (images) sections.push(images);
  return sections;
}
