/**
 * The table (always printed, whatever was found) and the --detail listing, as plain text. Names, images, reasons
 * and findings come from files, ECR and the images themselves: each is made inert for the log.
 */
import { inert } from "../shared/inert.js";
import { shortImage } from "./image-ref.js";
import { SEVERITIES, type Severity } from "./severity.js";
import {
  countsOf,
  ignoredVulnsOf,
  type Location,
  serviceLabel,
  summaryOf,
  unreadNote,
  type Vuln,
  vulnsOf,
} from "./summary.js";
import type { AuditReport, ContainerAudit } from "./types.js";

const COLUMNS: Record<Severity, string> = {
  CRITICAL: "CRITICAL",
  HIGH: "HIGH",
  MEDIUM: "MEDIUM",
  LOW: "LOW",
  INFORMATIONAL: "INFO",
  UNDEFINED: "UNDEF",
};

/** ECR images by repository, tag and short digest; other images as written. */
function imageCell(c: ContainerAudit): string {
  return inert(
    c.repository === undefined || c.registryId === undefined ? c.image : shortImage(c.repository, c.tag, c.digest),
  );
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** One row per container per service, in the report's order, with a note for every row that is not COMPLETE. */
export function renderTable(report: AuditReport): string {
  const header = [
    "SERVICE",
    "CONTAINER",
    "IMAGE",
    "STATUS",
    ...SEVERITIES.map((s) => COLUMNS[s]),
    "FIXABLE",
    "IGNORED",
  ];
  const rows: string[][] = [header];
  const notes: string[] = [];
  for (const s of report.services) {
    const label = inert(serviceLabel(s));
    if (s.sourceNote) notes.push(`${label}: ${inert(s.sourceNote)}`);
    if (s.error) {
      rows.push([label, "-", "-", s.error.status, ...SEVERITIES.map(() => "-"), "-", "-"]);
      notes.push(`${label}: ${s.error.status}: ${inert(s.error.reason)}`);
      continue;
    }
    for (const c of s.containers) {
      const counts = countsOf(c);
      const known = c.status === "COMPLETE";
      const cell = (n: number) => (known ? String(n) : "-");
      rows.push([
        label,
        inert(c.name),
        imageCell(c),
        c.status,
        ...SEVERITIES.map((sev) => cell(counts.severities[sev])),
        cell(counts.fixable),
        cell(counts.ignored),
      ]);
      if (c.reason) notes.push(`${label} ${inert(c.name)}: ${c.status}: ${inert(c.reason)}`);
    }
  }
  const lines = [table(rows)];
  if (notes.length > 0) lines.push("", ...notes);
  lines.push("", totalLine(report));
  for (const e of report.expiredIgnores) lines.push(`warning: ${inert(e.message)}`);
  return `${lines.join("\n")}\n`;
}

function totalLine(report: AuditReport): string {
  const summary = summaryOf(report.services);
  const parts = SEVERITIES.filter((s) => summary.severities[s] > 0).map((s) => `${summary.severities[s]} ${s}`);
  const found =
    summary.total === 0
      ? "no vulnerabilities found"
      : `${summary.total} unique ${summary.total === 1 ? "vulnerability" : "vulnerabilities"} (${parts.join(", ")}), ${summary.fixable} fixable`;
  const ignored = summary.ignored > 0 ? `, ${summary.ignored} ignored` : "";
  const unread = unreadNote(report.services);
  return unread
    ? `Total: ${unread} (reasons above); in what was read, ${found}${ignored}`
    : `Total: ${found}${ignored}`;
}

function where(locations: Location[]): string {
  return locations.map((l) => inert(`${serviceLabel(l)} ${l.container}`)).join(", ");
}

function entry(v: Vuln): string[] {
  const f = v.finding;
  const head = [f.id, f.cvss !== undefined ? `CVSS ${f.cvss.toFixed(1)}` : undefined, f.uri].filter(Boolean);
  const lines = [inert(head.join("  "))];
  for (const p of f.packages) {
    const fix = p.fixedIn ? `fixed in ${p.fixedIn}` : f.fixUnknown ? "fix unknown (basic scan)" : "no fix yet";
    lines.push(`  ${inert(`${p.name} ${p.version} → ${fix}`)}`);
  }
  lines.push(`  in: ${where(v.locations)}`);
  const description = inert(f.description.replace(/\s+/g, " ").trim());
  if (description) lines.push(`  ${description.length > 200 ? `${description.slice(0, 199)}…` : description}`);
  return lines;
}

/** Vulnerabilities grouped by severity (worst first), then the ignored ones with their reasons. */
export function renderDetail(report: AuditReport): string {
  const vulns = vulnsOf(report.services);
  const lines: string[] = [];
  for (const severity of SEVERITIES) {
    const group = vulns.filter((v) => v.severity === severity);
    if (group.length === 0) continue;
    lines.push(`=== ${severity} (${group.length}) ===`);
    for (const v of group) lines.push(...entry(v));
    lines.push("");
  }
  if (vulns.length === 0) lines.push("No vulnerabilities found.", "");
  const ignored = ignoredVulnsOf(report.services);
  if (ignored.length > 0) {
    lines.push(`=== IGNORED (${ignored.length}) ===`);
    for (const v of ignored) {
      const rule = v.ignore;
      const until = rule?.expires ? `until ${rule.expires}` : "no expiry";
      lines.push(...entry(v), `  ignored (${v.severity}, ${inert(until)}): ${inert(rule?.reason)}`);
    }
    lines.push("");
  }
  for (const e of report.expiredIgnores) lines.push(`warning: ${inert(e.message)}`);
  return `${lines.join("\n").trimEnd()}\n`;
}
