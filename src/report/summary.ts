/** The job summary of a command, as markdown: verdict first, then what changed, how long it took and how it went. */

import type { Result } from "../engine/events.js";
import { formatDuration } from "../shared/duration.js";
import { renderAudit } from "./audit-markdown.js";
import { code, escapeText, prose, runLink, table } from "./escape.js";
import { renderEventTable } from "./event-table.js";
import { failureReasons } from "./failure.js";
import { fitSections, SUMMARY_LIMIT_BYTES } from "./fit.js";
import { renderGantt } from "./gantt.js";
import { renderMetricTable } from "./metric-evaluations.js";
import { boundsOf, phaseSpans } from "./timeline.js";
import type { DeployReportInput, ReportCommand, ReportInput } from "./types.js";

export type { AuditReportInput, Deployed, DeployedContainer, DeployReportInput, ReportInput } from "./types.js";

export interface SummaryOptions {
  limitBytes?: number;
  /** List every audit finding, not only the per-container counts. */
  detail?: boolean;
  maxEventRows?: number;
}

const NOUN: Record<ReportCommand, string> = {
  rollout: "Rollout",
  up: "Service creation",
  run: "Task run",
  audit: "Audit",
  cleanup: "Cleanup",
  continue: "Continuation",
  rollback: "Rollback",
};
/** Commands that deploy nothing of their own: no "what was deployed" section. */
const DEPLOYS_NOTHING = new Set<ReportCommand>(["cleanup", "continue", "rollback"]);
const ALERT: Record<Result, [string, string]> = {
  succeeded: ["TIP", "succeeded"],
  failed: ["CAUTION", "failed"],
  "rolled-back": ["CAUTION", "failed and was rolled back"],
  canceled: ["WARNING", "was canceled"],
  planned: ["NOTE", "was planned (dry run: nothing was changed)"],
};

export function renderSummary(input: ReportInput, options: SummaryOptions = {}): string {
  const sections = verdictSections(input);
  if (input.audit) sections.push(renderAudit(input.audit, { detail: options.detail ?? false }));
  // An audit is one phase: its table is the story, without a deployment, durations or a chart.
  if (input.command !== "audit") {
    if (!DEPLOYS_NOTHING.has(input.command)) sections.push(deployedSection(input));
    const durations = durationSection(input);
    if (durations) sections.push(durations);
    const gantt = renderGantt(input.events);
    if (gantt) sections.push(`#### Timeline\n\n${gantt}`);
    const metrics = renderMetricTable(input.events);
    if (metrics) sections.push(`#### Metric checks\n\n${metrics}`);
  }
  const events = renderEventTable(input.events, options.maxEventRows ?? 200);
  if (events) sections.push(`<details><summary>Events</summary>\n\n${events}\n\n</details>`);
  return fitSections(sections, options.limitBytes ?? SUMMARY_LIMIT_BYTES, (leftOut) => {
    const run = input.runUrl ? ` See ${runLink("the run", input.runUrl)} and the` : " See the";
    return `> [!NOTE]\n> This summary was cut to stay under GitHub's 1 MiB limit (${leftOut} bytes left out).${run} \`timeline-json\` and \`audit-json\` outputs for everything.`;
  });
}

/** The heading, the alert with the result's message, and why it failed. */
function verdictSections(input: ReportInput): string[] {
  const { result } = input;
  const [alert, outcome] = ALERT[result.result];
  const verb = input.command === "audit" && result.result === "succeeded" ? "passed" : outcome;
  const sections = [
    `### ${NOUN[input.command]} of ${escapeText(input.target.service)} ${verb}`,
    // The engine's verdict says whether the service changed, in the one sentence it writes about that.
    `> [!${alert}]\n> ${prose(sentence(result.message))}`,
  ];
  const gate = input.command === "audit" ? undefined : input.auditResult;
  if (gate?.result === "failed") sections.push(`> [!CAUTION]\n> The audit gate ${prose(sentence(gate.message))}`);
  if (result.result !== "succeeded" && result.result !== "planned") {
    const reasons = failureReasons(input);
    if (reasons.length > 0) sections.push(`#### Why\n\n${reasons.map((line) => `- ${line}`).join("\n")}`);
  }
  return sections;
}

/** What the run put in place, or only tried to: a failed canary deployed nothing, and `run` deploys nothing. */
function deployedHeading(input: DeployReportInput): string {
  if (input.result.result === "planned") return "What would be deployed";
  if (input.command === "run") return "What ran";
  if (!input.result.serviceChanged && input.result.result !== "succeeded") return "What was tried (not deployed)";
  return input.result.result === "rolled-back" ? "What was deployed, then rolled back" : "What was deployed";
}

function deployedSection(input: DeployReportInput): string {
  const { result, deployed } = input;
  const where = `${code(input.target.service)} on ${code(input.target.cluster)} (${escapeText(input.target.region)})`;
  const facts: [string, string][] = [["Service", where]];
  const next = result.taskDefinitionArn ?? deployed?.taskDefinitionArn;
  const previous = deployed?.previousTaskDefinitionArn;
  const tried = !result.serviceChanged && result.result !== "succeeded" && input.command !== "run";
  if (next && tried) {
    const stays = previous && previous !== next ? `; the service stays on ${code(family(previous))}` : "";
    facts.push(["Task definition", `${code(family(next))} (registered, not deployed${stays})`]);
  } else if (next) {
    facts.push([
      "Task definition",
      previous && previous !== next ? `${code(family(previous))} → ${code(family(next))}` : code(family(next)),
    ]);
  }
  if (result.canaryTaskArn) facts.push(["Canary task", code(result.canaryTaskArn)]);
  if (result.deploymentId) facts.push(["Deployment", code(result.deploymentId)]);
  if (result.exitCode !== undefined) facts.push(["Exit code", String(result.exitCode)]);
  if (result.deregisteredRevisions?.length) {
    facts.push(["Revisions deregistered", result.deregisteredRevisions.map((arn) => code(family(arn))).join(", ")]);
  }
  // A list, not a table: a table needs a header row, and an empty one shows as a bar on GitHub.
  const parts = [
    `#### ${deployedHeading(input)}\n\n${facts.map(([name, value]) => `- **${name}**: ${value}`).join("\n")}`,
  ];
  const images = (deployed?.containers ?? []).filter((c) => c.image);
  if (images.length > 0 && images.every((c) => !c.imageDigest)) {
    parts.push(
      table(
        ["Container", "Image"],
        images.map((c) => [escapeText(c.name), code(c.image)]),
      ),
    );
  } else if (images.length > 0) {
    parts.push(
      table(
        ["Container", "Image", "Digest"],
        images.map((c) => [escapeText(c.name), code(c.image), c.imageDigest ? code(c.imageDigest) : ""]),
      ),
    );
  }
  return parts.join("\n\n");
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) || trimmed === "" ? trimmed : `${trimmed}.`;
}

/** `arn:aws:ecs:…:task-definition/web:42` → `web:42`. */
function family(arn: string): string {
  return arn.split("/").pop() ?? arn;
}

function durationSection(input: DeployReportInput): string {
  const bounds = boundsOf(input.events);
  const spans = phaseSpans(input.events);
  if (!bounds || spans.length === 0) return "";
  const rows = spans.map((span) => [
    escapeText(span.phase),
    span.outcome ?? "unfinished",
    `+${formatDuration(span.start - bounds.start)}`,
    formatDuration(span.end - span.start),
  ]);
  return `#### Durations\n\nTotal ${formatDuration(bounds.end - bounds.start)}.\n\n${table(["Phase", "Outcome", "Started", "Took"], rows)}`;
}
