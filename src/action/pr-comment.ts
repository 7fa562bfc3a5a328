/**
 * The sticky comments on a pull request, each found by a hidden marker and updated in place: the audit's (marked
 * resolved when clean) and the deploy plan's.
 */
import { type AuditReport, missesScans, vulnsOf } from "../audit/index.js";
import type { PrComment } from "../inputs/fields-steps.js";
import { renderAudit } from "../report/audit-markdown.js";
import { fitSections } from "../report/fit.js";
import type { Comment, GitHubPort } from "./github.js";

/** GitHub rejects comment bodies over 65,536 characters. */
const COMMENT_LIMIT = 65_000;

export function markerOf(kind: string, key: string): string {
  // A value cannot close the HTML comment early.
  return `<!-- cage-action:${kind} ${key.replace(/[^\w.:/=;,@ -]/g, "").replace(/--/g, "-")} -->`;
}

export function auditKey(report: AuditReport): string {
  return report.services
    .map((s) => `region=${s.region};cluster=${s.cluster};service=${s.service}`)
    .sort()
    .join(",");
}

export function commentBody(report: AuditReport, marker: string, runUrl?: string): string {
  return fittedBody(["### cage audit", renderAudit(report, { detail: true, maxFindings: 100 })], marker, runUrl);
}

/** The sections cut to fit one comment, the marker last. */
export function fittedBody(sections: string[], marker: string, runUrl?: string): string {
  const body = fitSections(sections, COMMENT_LIMIT - marker.length - 2, (leftOut) =>
    runUrl
      ? `> [!NOTE]\n> Cut to fit a comment (${leftOut} bytes left out); the full report is in [the run's summary](${runUrl}).`
      : `> [!NOTE]\n> Cut to fit a comment (${leftOut} bytes left out); the full report is in the run's summary.`,
  );
  return `${body}\n${marker}`;
}

export type CommentOutcome = "created" | "updated" | "unchanged" | "resolved" | "skipped";

export async function upsertAuditComment(
  github: GitHubPort,
  pullRequest: number,
  report: AuditReport,
  mode: PrComment,
  runUrl?: string,
): Promise<CommentOutcome> {
  if (mode === "never") return "skipped";
  const marker = markerOf("audit", auditKey(report));
  const clean = vulnsOf(report.services).length === 0 && !missesScans(report.services);
  const existing = await ourComment(github, pullRequest, marker);
  if (clean && mode === "auto") {
    if (!existing) return "skipped";
    const resolved = `### cage audit\n\n> [!TIP]\n> Resolved: no findings any more in ${report.services.map((s) => s.service).join(", ")}.\n${marker}`;
    if (existing.body === resolved) return "unchanged";
    await github.updateIssueComment(existing.id, resolved);
    return "resolved";
  }
  return upsertBody(github, pullRequest, existing, commentBody(report, marker, runUrl));
}

/** The plan of one service: one comment per service, replaced on each push. */
export async function upsertPlanComment(
  github: GitHubPort,
  pullRequest: number,
  key: string,
  sections: string[],
  runUrl?: string,
): Promise<CommentOutcome> {
  const marker = markerOf("plan", key);
  const existing = await ourComment(github, pullRequest, marker);
  return upsertBody(github, pullRequest, existing, fittedBody(sections, marker, runUrl));
}

/** Only a bot's comment is ours to edit: a person quoting the marker must not have their comment rewritten. */
async function ourComment(github: GitHubPort, pullRequest: number, marker: string): Promise<Comment | undefined> {
  return (await github.listIssueComments(pullRequest)).find((c) => c.body.includes(marker) && c.userType === "Bot");
}

async function upsertBody(
  github: GitHubPort,
  pullRequest: number,
  existing: Comment | undefined,
  body: string,
): Promise<CommentOutcome> {
  if (!existing) {
    await github.createIssueComment(pullRequest, body);
    return "created";
  }
  if (existing.body === body) return "unchanged";
  await github.updateIssueComment(existing.id, body);
  return "updated";
}
