/** One issue per audited service, kept up to date by scheduled audits: created, updated, closed when clean. */
import { type AuditReport, renderAudit } from "../report/audit-markdown.js";
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
  reports: AuditReport[],
  runUrl?: string,
): Promise<IssueOutcome[]> {
  const open = await github.listOpenIssues(AUDIT_LABEL);
  const outcomes: IssueOutcome[] = [];
  for (const report of reports) {
    const marker = markerOf(
      "audit-issue",
      `region=${report.region};cluster=${report.cluster};service=${report.service}`,
    );
    const existing = open.find((issue) => issue.body.includes(marker));
    const service = `${report.cluster}/${report.service}`;
    if (report.findings.length === 0) {
      if (!existing) {
        outcomes.push({ service, action: "none" });
        continue;
      }
      const body = `No findings as of ${report.scannedAt}.${runUrl ? ` [Audit run](${runUrl}).` : ""}\n\n${marker}`;
      await github.updateIssue(existing.number, { body, state: "closed", stateReason: "completed" });
      outcomes.push({ service, action: "closed", number: existing.number });
      continue;
    }
    const rendered = fitSections(
      [renderAudit(report, { detail: true, maxFindings: 200 })],
      ISSUE_LIMIT - marker.length - 2,
      (leftOut) => `> [!NOTE]\n> Cut to fit an issue (${leftOut} bytes left out); see the audit run's summary.`,
    );
    const body = `${rendered}\n${marker}`;
    if (existing) {
      await github.updateIssue(existing.number, { body });
      outcomes.push({ service, action: "updated", number: existing.number });
    } else {
      const title = `cage audit: ${service} (${report.region})`;
      const number = await github.createIssue({ title, body, labels: [AUDIT_LABEL] });
      outcomes.push({ service, action: "created", number });
    }
  }
  return outcomes;
}
