/**
 * The audit as markdown: a headline, one row per container (severity counts, scan status, fixable), notes on the
 * rows, then findings per severity in `<details>` with links to each vulnerability.
 */
import {
  type AuditReport,
  gapOf,
  type HighestSeverity,
  rowsOf,
  SEVERITIES,
  summaryOf,
  unreadNote,
  type Vuln,
  vulnsOf,
} from "../audit/index.js";
import { containerSections } from "./audit-table.js";
import { clip, escapeText, link, table } from "./escape.js";

const ALERT = {
  CRITICAL: "CAUTION",
  HIGH: "CAUTION",
  MEDIUM: "WARNING",
  LOW: "NOTE",
  INFORMATIONAL: "NOTE",
  UNDEFINED: "NOTE",
  // Only with rows lacking a usable scan, whose own alert (gapAlert) is at least a warning.
  UNKNOWN: "WARNING",
  NONE: "TIP",
} as const satisfies Record<HighestSeverity, string>;

type Alert = (typeof ALERT)[HighestSeverity];
const ALERT_ORDER: Alert[] = ["TIP", "NOTE", "WARNING", "CAUTION"];

/** No green verdict beside an image without a usable scan: a private image's or an unread row's is a caution. */
function gapAlert(report: AuditReport): Alert | undefined {
  const gaps = new Set(rowsOf(report.services).map(gapOf));
  if (gaps.has("unread") || gaps.has("unscanned")) return "CAUTION";
  return gaps.has("not-scannable") ? "WARNING" : undefined;
}

/** The report: a verdict line, one table row per container, and (with `detail`) every finding by severity. */
export function renderAudit(report: AuditReport, opts: { detail: boolean; maxFindings?: number }): string {
  const vulns = vulnsOf(report.services);
  const summary = summaryOf(report.services, vulns);
  const counts = summary.severities;
  const found = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const scanned = new Date(report.scannedAt).toISOString();
  const findings =
    found.length === 0 ? `No findings (scanned ${scanned}).` : `${found.join(", ")} (scanned ${scanned}).`;
  const unread = unreadNote(report.services);
  const gaps = gapAlert(report);
  // A part that could not be read outweighs any verdict on the rest.
  const incomplete = gaps === "CAUTION" ? "The audit is incomplete" : "Not every image could be scanned";
  const headline = unread
    ? `${incomplete}: ${unread} (reasons below the table). In what was read: ${findings.replace(/^No /, "no ")}`
    : findings;
  const alerts = [ALERT[summary.highest], gaps ?? "TIP"];
  const alert = ALERT_ORDER[Math.max(...alerts.map((a) => ALERT_ORDER.indexOf(a)))];
  const parts = [`> [!${alert}]\n> ${headline}`, ...containerSections(report.services)];
  const notes = [
    ...report.services.filter((s) => s.sourceNote).map((s) => `${escapeText(s.service)}: ${escapeText(s.sourceNote)}`),
    ...report.expiredIgnores.map((e) => `⚠ ${escapeText(e.message)}`),
  ];
  if (notes.length > 0) parts.push(notes.map((n) => `- ${n}`).join("\n"));
  if (opts.detail) parts.push(...findingDetails(vulns, report.services.length > 1, opts.maxFindings ?? 500));
  return parts.join("\n\n");
}

/** Where a vulnerability is: container names, or `service/container` when the report has several services. */
function containersOf(vuln: Vuln, manyServices: boolean): string[] {
  return [...new Set(vuln.locations.map((l) => (manyServices ? `${l.service}/${l.container}` : l.container)))];
}

function findingDetails(vulns: Vuln[], manyServices: boolean, max: number): string[] {
  const sections: string[] = [];
  let shown = 0;
  for (const severity of SEVERITIES) {
    const group = vulns.filter((v) => v.severity === severity);
    if (group.length === 0) continue;
    const rows = group.slice(0, Math.max(0, max - shown)).map((vuln) => {
      const { finding } = vuln;
      return [
        link(finding.id, finding.uri),
        escapeText(finding.packages.map((p) => `${p.name} ${p.version}`).join(", ")),
        escapeText(
          finding.packages
            .map((p) => p.fixedIn ?? "")
            .filter(Boolean)
            .join(", "),
        ),
        finding.cvss === undefined ? "" : String(finding.cvss),
        escapeText(containersOf(vuln, manyServices).join(", ")),
        escapeText(clip(finding.description, 300)),
      ];
    });
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
