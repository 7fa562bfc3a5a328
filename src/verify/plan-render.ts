/** A dry run's plan as log lines (inert) and as markdown: the calls a real run would send, as JSON. */

import type { DiffPlan } from "../plan/plan.js";
import { diffLines, diffMarkdown } from "../plan/render.js";
import { escapeText, table } from "../report/escape.js";
import { inert } from "../shared/inert.js";
import type { Plan } from "./dry-run.js";
import type { Read } from "./types.js";

function jsonLines(value: unknown): string[] {
  return JSON.stringify(value, null, 2).split("\n");
}

export function renderPlan(plan: Plan): string[] {
  const lines: string[] = ["Plan (dry run: nothing was changed):"];
  const td = plan.taskDefinition;
  lines.push(
    td.registered
      ? `  task definition: ${td.registered} (registered already; nothing would be registered)`
      : `  would register: family ${td.family}, ${td.containers.length} container(s)`,
  );
  for (const c of td.containers) lines.push(`    ${c.name}: ${c.image}`);
  for (const tg of plan.targetGroups)
    lines.push(`  target group: ${tg.targetGroupArn} (${tg.containerName}:${tg.containerPort})`);
  if (plan.launch) {
    lines.push(`  ${plan.launch.operation} would send:`);
    lines.push(...jsonLines(plan.launch.input).map((l) => `    ${l}`));
  }
  if (plan.service) {
    lines.push(`  ${plan.service.operation} would send:`);
    lines.push(...jsonLines(plan.service.input).map((l) => `    ${l}`));
  }
  return lines.map(inert);
}

/** A fenced block no text inside can close: the fence is longer than any run of backticks in it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}json\n${text}\n${fence}`;
}

export function renderPlanMarkdown(plan: Plan): string {
  const td = plan.taskDefinition;
  const parts = ["#### Plan (dry run: nothing was changed)"];
  parts.push(
    td.registered
      ? `Task definition <code>${escapeText(td.registered)}</code>, registered already.`
      : `Would register family <code>${escapeText(td.family)}</code>:`,
  );
  if (td.containers.length > 0) {
    parts.push(
      table(
        ["Container", "Image"],
        td.containers.map((c) => [escapeText(c.name), `<code>${escapeText(c.image)}</code>`]),
      ),
    );
  }
  if (plan.targetGroups.length > 0) {
    const rows = plan.targetGroups.map((t) => [
      `<code>${escapeText(t.targetGroupArn)}</code>`,
      escapeText(`${t.containerName}:${t.containerPort}`),
    ]);
    parts.push(table(["Target group", "Container"], rows));
  }
  for (const call of [plan.launch, plan.service]) {
    if (call) parts.push(`${call.operation} would send:\n\n${fenced(JSON.stringify(call.input, null, 2))}`);
  }
  return parts.join("\n\n");
}

const DIFF_HEADING = "What the deploy would change";

/** The diff a dry run makes, as `diff` prints it: nothing when nothing would change. */
export function diffLogLines(diff: Read<DiffPlan> | undefined): string[] {
  if (!diff) return [];
  if (!diff.ok) return [`Diff: not made: ${inert(diff.error)}`];
  const lines = diff.value.changed
    ? diffLines(diff.value).map((l) => inert(l.text))
    : ["Diff: no changes: the deploy context matches the live service."];
  return [...lines, ...diff.value.notes.map((n) => inert(n))];
}

export function diffSummary(diff: Read<DiffPlan> | undefined): string[] {
  if (!diff) return [];
  if (!diff.ok) return [`### ${DIFF_HEADING}\n\nNot made: ${escapeText(diff.error)}`];
  return [diffMarkdown(diff.value, DIFF_HEADING, { openUpTo: 20 }).trimEnd()];
}
