/**
 * The audit as markdown: one row per container (severity counts, status, fixable), then findings per severity in
 * `<details>` with links to each vulnerability. The types below are the part of the audit engine's AuditReport
 * (src/audit/types.ts) that the summary reads; the engine's report is assignable to them.
 */
import { unreadNote } from "../audit/summary.js";
import { clip, code, escapeText, link, table } from "./escape.js";

export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AuditFinding {
  id: string;
  severity: Severity;
  description: string;
  uri?: string;
  packages: { name: string; version: string; fixedIn?: string }[];
  cvss?: number;
  fixable: boolean;
}

export interface AuditContainer {
  name: string;
  image: string;
  digest?: string;
  status: string;
  reason?: string;
  findings: AuditFinding[];
  ignored: { finding: AuditFinding }[];
}

export interface AuditService {
  region: string;
  cluster: string;
  service: string;
  source: string;
  sourceNote?: string;
  taskDefinitionFile?: string;
  error?: { status: string; reason: string };
  containers: AuditContainer[];
}

export interface AuditReport {
  scannedAt: number;
  source: string;
  services: AuditService[];
  expiredIgnores: { message: string }[];
}

export type SeverityCounts = Record<Severity, number>;

export interface Vuln {
  finding: AuditFinding;
  severity: Severity;
  fixable: boolean;
  containers: string[];
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Unique vulnerabilities across the services, in their worst severity, sorted by id. */
export function vulnsOf(services: AuditService[]): Vuln[] {
  const byId = new Map<string, Vuln>();
  for (const s of services) {
    for (const c of s.containers) {
      for (const finding of c.findings) {
        const where = services.length > 1 ? `${s.service}/${c.name}` : c.name;
        const vuln = byId.get(finding.id);
        if (!vuln) {
          byId.set(finding.id, { finding, severity: finding.severity, fixable: finding.fixable, containers: [where] });
          continue;
        }
        if (rank(finding.severity) < rank(vuln.severity)) vuln.severity = finding.severity;
        vuln.fixable ||= finding.fixable;
        if (!vuln.containers.includes(where)) vuln.containers.push(where);
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.finding.id.localeCompare(b.finding.id));
}

export function countsOf(vulns: Vuln[]): SeverityCounts & { fixable: number; total: number } {
  const counts = {
    CRITICAL: 0,
    HIGH: 0,
    MEDIUM: 0,
    LOW: 0,
    INFORMATIONAL: 0,
    UNDEFINED: 0,
    fixable: 0,
    total: vulns.length,
  };
  for (const v of vulns) {
    counts[v.severity] += 1;
    if (v.fixable) counts.fixable += 1;
  }
  return counts;
}

export function highestOf(vulns: Vuln[]): Severity | "NONE" {
  return SEVERITIES.find((s) => vulns.some((v) => v.severity === s)) ?? "NONE";
}

const ALERT: Record<Severity | "NONE", string> = {
  CRITICAL: "CAUTION",
  HIGH: "CAUTION",
  MEDIUM: "WARNING",
  LOW: "NOTE",
  INFORMATIONAL: "NOTE",
  UNDEFINED: "NOTE",
  NONE: "TIP",
};

/** The report: a verdict line, one table row per container, and (with `detail`) every finding by severity. */
export function renderAudit(report: AuditReport, opts: { detail: boolean; maxFindings?: number }): string {
  const vulns = vulnsOf(report.services);
  const counts = countsOf(vulns);
  const found = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const scanned = new Date(report.scannedAt).toISOString();
  const findings =
    found.length === 0 ? `No findings (scanned ${scanned}).` : `${found.join(", ")} (scanned ${scanned}).`;
  const unread = unreadNote(report.services);
  // A part that could not be read outweighs any verdict on the rest.
  const headline = unread
    ? `The audit is incomplete: ${unread} (reasons in the table). In what was read: ${findings.replace(/^No /, "no ")}`
    : findings;
  const alert = unread ? "CAUTION" : ALERT[highestOf(vulns)];
  const parts = [`> [!${alert}]\n> ${headline}`, containerTable(report.services)];
  const notes = [
    ...report.services.filter((s) => s.sourceNote).map((s) => `${escapeText(s.service)}: ${escapeText(s.sourceNote)}`),
    ...report.expiredIgnores.map((e) => `⚠ ${escapeText(e.message)}`),
  ];
  if (notes.length > 0) parts.push(notes.map((n) => `- ${n}`).join("\n"));
  if (opts.detail) parts.push(...findingDetails(vulns, opts.maxFindings ?? 500));
  return parts.join("\n\n");
}

function containerTable(services: AuditService[]): string {
  const rows: string[][] = [];
  for (const s of services) {
    const where = `${escapeText(s.cluster)}/${escapeText(s.service)}`;
    if (s.error) {
      rows.push([
        where,
        "",
        "",
        `${escapeText(s.error.status)}: ${escapeText(clip(s.error.reason, 200))}`,
        ...Array(8).fill(""),
      ]);
      continue;
    }
    for (const c of s.containers) {
      const counts = countsOf(vulnsOf([{ ...s, containers: [c] }]));
      const status = c.reason ? `${escapeText(c.status)}: ${escapeText(clip(c.reason, 200))}` : escapeText(c.status);
      rows.push([
        where,
        escapeText(c.name),
        code(imageLabel(c)),
        status,
        ...SEVERITIES.map((sev) => String(counts[sev])),
        String(counts.fixable),
        String(new Set(c.ignored.map((i) => i.finding.id)).size),
      ]);
    }
  }
  return table(
    [
      "Service",
      "Container",
      "Image",
      "Status",
      "Critical",
      "High",
      "Medium",
      "Low",
      "Info",
      "Other",
      "Fixable",
      "Ignored",
    ],
    rows,
  );
}

function imageLabel(container: AuditContainer): string {
  const digest = container.digest?.replace(/^sha256:/, "").slice(0, 12);
  return digest && !container.image.includes(digest) ? `${container.image} (${digest})` : container.image;
}

function findingDetails(vulns: Vuln[], max: number): string[] {
  const sections: string[] = [];
  let shown = 0;
  for (const severity of SEVERITIES) {
    const group = vulns.filter((v) => v.severity === severity);
    if (group.length === 0) continue;
    const rows = group.slice(0, Math.max(0, max - shown)).map(({ finding, containers }) => [
      link(finding.id, finding.uri),
      escapeText(finding.packages.map((p) => `${p.name} ${p.version}`).join(", ")),
      escapeText(
        finding.packages
          .map((p) => p.fixedIn ?? "")
          .filter(Boolean)
          .join(", "),
      ),
      finding.cvss === undefined ? "" : String(finding.cvss),
      escapeText(containers.join(", ")),
      escapeText(clip(finding.description, 300)),
    ]);
    shown += rows.length;
    const more = group.length - rows.length;
    const body = [
      table(["Vulnerability", "Package", "Fixed in", "CVSS", "Containers", "Description"], rows),
      more > 0 ? `${more} more ${severity} findings are in the \`audit-json\` output.` : "",
    ].join("\n\n");
    sections.push(`<details><summary>${severity} (${group.length})</summary>\n\n${body}\n\n</details>`);
  }
  return sections;
}
