/**
 * The deploy plan of a pull request, as markdown sections for its sticky comment and the job summary: the verdict,
 * what a rollout would change, the verify checklist and the audit of the images it would deploy. Every name, path
 * and value comes from files or AWS and is escaped by the renderer of its section.
 */
import type { AuditReport } from "../audit/index.js";
import type { Target } from "../engine/settings.js";
import type { DiffPlan } from "../plan/plan.js";
import { diffMarkdown } from "../plan/render.js";
import { countsLine, renderChecklistMarkdown } from "../verify/render.js";
import type { Read, VerifyReport } from "../verify/types.js";
import { renderAudit } from "./audit-markdown.js";
import { escapeText, prose, runLink } from "./escape.js";

export interface PlanInput {
  target: Target;
  /** The diff, or why it could not be made (inert text). */
  diff: Read<DiffPlan>;
  verify: VerifyReport;
  /** The audit verify judged the scans from; none when no image was found in ECR. */
  audit?: Read<AuditReport>;
  /** The commit planned. */
  sha?: string;
  runUrl?: string;
}

/** A diff of up to this many changed lines is shown open; a longer one is collapsed. */
const OPEN_UP_TO = 20;

export function planSections(input: PlanInput): string[] {
  const { target } = input;
  const where = `${target.cluster}/${target.service}`;
  return [
    `## Deploy plan for ${escapeText(where)}`,
    headline(input),
    input.diff.ok
      ? diffMarkdown(input.diff.value, "What a rollout would change", { openUpTo: OPEN_UP_TO }).trimEnd()
      : `### What a rollout would change\n\n> [!WARNING]\n> ${prose(`The diff could not be made: ${input.diff.error}`)}`,
    renderChecklistMarkdown(input.verify),
    auditSection(input.audit),
    footer(input),
  ].filter((section) => section !== "");
}

function headline(input: PlanInput): string {
  const changes = !input.diff.ok
    ? "the diff could not be made"
    : input.diff.value.changed
      ? "a rollout would change the service"
      : "a rollout would change nothing";
  const line = `${countsLine(input.verify)}; ${changes}.`;
  return input.verify.failed
    ? `> [!CAUTION]\n> ${escapeText(line)} A rollout of this commit would be refused or fail: see the \`NG\` lines.`
    : `> [!NOTE]\n> ${escapeText(line)}`;
}

function auditSection(audit: PlanInput["audit"]): string {
  const heading = "### Audit of the images this pull request would deploy";
  if (!audit) return `$heading\n\nNo image of the task definition was found in ECR: nothing to audit.`;
  if (!audit.ok) return `${heading}\n\n> [!WARNING]\n> ${prose(`The audit stopped: ${audit.error}`)}`;
  return `${heading}\n\n${renderAudit(audit.value, { detail: true, maxFindings: 100 })}`;
}

function footer(input: PlanInput): string {
  const commit = input.sha ? `Planned for commit ${escapeText(input.sha.slice(0, 12))}` : "Planned";
  return `<sub>${commit} by cage, from read calls only; ${runLink("the run", input.runUrl)}.</sub>`;
}
