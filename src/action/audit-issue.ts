/** One issue per audited service, kept up to date by scheduled audits: created, updated, closed when clean. */
import { type AuditReport, missesScans, vulnsOf } from "../audit/index.js";
import { renderAudit } from "../report/audit-markdown.js";
import { fitSections } from "../report/fit.js";
import type { GitHubPort } from "./github.js";
import { markerOf } from "./pr-comment.js";

export const AUDIT_LABEL = "cage-audit";
const ISSUE_LIMIT = 65_000;

export interface IssueOutcome {
  service: string;
  action: "created" | "updated" | "closed" | "none";
  number?: number;
}

export async function syncAuditIssues(
  github: GitHubPort,
  report: AuditReport,
  runUrl?: string,
): Promise<IssueOutcome[]> {
  const open = await github.listOpenIssues(AUDIT_LABEL);
  const outcomes: IssueOutcome[] = [];
  for (const service of report.services) {
    const own: AuditReport = { ...report, services: [service] };
    const marker = markerOf(
      "audit-issue",
      `region=${service.region};cluster=${service.cluster};service=${service.service}`,
    );
    const existing = open.find((issue) => issue.body.includes(marker));
    const label = `${service.cluster}/${service.service}`;
    // A service that could not be audited, or whose image has no usable scan, keeps its issue open: not "clean".
    if (vulnsOf([service]).length === 0 && !missesScans([service])) {
      if (!existing) {
        outcomes.push({ service: label, action: "none" });
        continue;
      }
      const scanned = new Date(report.scannedAt).toISOString();
      const body = `No findings as of ${scanned}.${runUrl ? ` [Audit run](${runUrl}).` : ""}\n\n${marker}`;
      await github.updateIssue(existing.number, { body, state: "closed", stateReason: "completed" });
      outcomes.push({ service: label, action: "closed", number: existing.number });
      continue;
    }
    const rendered = fitSections(
      [renderAudit(own, { detail: true, maxFindings: 200 })],
      ISSUE_LIMIT - marker.length - 2,
      (leftOut) => `> [!NOTE]\n> Cut to fit an issue (${leftOut} bytes left out); see the audit run's summary.`,
    );
    const body = `${rendered}\n${marker}`;
    if (existing) {
      await github.updateIssue(existing.number, { body });
      outcomes.push({ service: label, action: "updated", number: existing.number });
    } else {
      const title = `cage audit: ${label} (${service.region})`;
      const number = await github.createIssue({ title, body, labels: [AUDIT_LABEL] });
      outcomes.push({ service: label, action: "created", number });
    }
  }
  return outcomes;
}
