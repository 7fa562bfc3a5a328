/**
 * The audit as markdown: one row per container, then findings per severity in `<details>`. The AuditReport shape
 * here is the part of the audit engine's report that the summary needs (canarycage's JSON fields plus per-container
 * status).
 */
import { clip, code, escapeText, link, table } from "./escape.js";

export type Severity = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL" | "UNDEFINED";
export const SEVERITIES: Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"];

export interface AuditContainer {
  name: string;
  image: string;
  imageDigest?: string;
  /** OK, VULNERABLE, WARNING, N/A, ERROR, IN_PROGRESS, FAILED… */
  status: string;
  reason?: string;
  counts: Partial<Record<Severity, number>>;
  fixable: number;
}

export interface AuditFinding {
  name: string;
  severity: Severity;
  description?: string;
  packageName?: string;
  packageVersion?: string;
  fixedInVersion?: string;
  uri?: string;
  score?: number;
  containers: string[];
}

export interface AuditReport {
  region: string;
  cluster: string;
  service: string;
  containers: AuditContainer[];
  findings: AuditFinding[];
  highestSeverity: Severity | "NONE";
  scannedAt: string;
}

const ALERT: Record<string, string> = {
  CRITICAL: "CAUTION",
  HIGH: "CAUTION",
  MEDIUM: "WARNING",
  LOW: "NOTE",
  INFORMATIONAL: "NOTE",
  UNDEFINED: "NOTE",
  NONE: "TIP",
};

export function countOf(report: AuditReport, severity: Severity): number {
  return report.findings.filter((finding) => finding.severity === severity).length;
}

/** The service's audit: a verdict line, the container table and (with `detail`) every finding, grouped by severity. */
export function renderAudit(report: AuditReport, opts: { detail: boolean; maxFindings?: number }): string {
  const where = `${escapeText(report.cluster)}/${escapeText(report.service)} (${escapeText(report.region)})`;
  const counts = SEVERITIES.filter((s) => countOf(report, s) > 0).map((s) => `${countOf(report, s)} ${s}`);
  const headline =
    counts.length === 0 ? `No findings in ${where}.` : `${counts.join(", ")} in ${where}, scanned ${report.scannedAt}.`;
  const parts = [`#### Audit of ${where}`, `> [!${ALERT[report.highestSeverity] ?? "NOTE"}]\n> ${headline}`];
  parts.push(
    table(
      ["Container", "Image", "Status", "Critical", "High", "Medium", "Low", "Info", "Other", "Fixable"],
      report.containers.map((c) => [
        escapeText(c.name),
        code(imageLabel(c)),
        c.reason ? `${escapeText(c.status)}: ${escapeText(clip(c.reason, 200))}` : escapeText(c.status),
        ...(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const).map((s) =>
          String(c.counts[s] ?? 0),
        ),
        String(c.fixable),
      ]),
    ),
  );
  if (opts.detail) parts.push(...findingDetails(report, opts.maxFindings ?? 500));
  return parts.join("\n\n");
}

function imageLabel(container: AuditContainer): string {
  const digest = container.imageDigest?.replace(/^sha256:/, "").slice(0, 12);
  return digest ? `${container.image} (${digest})` : container.image;
}

function findingDetails(report: AuditReport, max: number): string[] {
  const sections: string[] = [];
  let shown = 0;
  for (const severity of SEVERITIES) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    const room = Math.max(0, max - shown);
    const rows = findings
      .slice(0, room)
      .map((f) => [
        link(f.name, f.uri),
        escapeText(f.packageName ?? ""),
        escapeText(f.packageVersion ?? ""),
        escapeText(f.fixedInVersion ?? ""),
        f.score === undefined ? "" : String(f.score),
        escapeText(f.containers.join(", ")),
        escapeText(clip(f.description ?? "", 300)),
      ]);
    shown += rows.length;
    const more = findings.length - rows.length;
    const body = [
      table(["Finding", "Package", "Installed", "Fixed in", "Score", "Containers", "Description"], rows),
      more > 0 ? `${more} more ${severity} findings are in the \`audit-json\` output.` : "",
    ].join("\n\n");
    sections.push(`<details><summary>${severity} (${findings.length})</summary>\n\n${body}\n\n</details>`);
  }
  return sections;
}
