/**
 * A diff plan as text (unified diff lines, each with its role, for a terminal to colour) and as markdown for the job
 * summary (a collapsed code block per section). Paths and values come from files and AWS: every line is made inert.
 */
import { escapeText, prose } from "../report/escape.js";
import { inert } from "../shared/inert.js";
import type { DiffPlan, DiffSection } from "./plan.js";

export type LineRole = "header" | "hunk" | "removed" | "added" | "context";

export interface StyledLine {
  role: LineRole;
  text: string;
}

const ROLE = { "-": "removed", "+": "added", " ": "context" } as const;

/** A section's unified diff; nothing when it has no changes. */
export function sectionLines(section: DiffSection): StyledLine[] {
  if (section.hunks.length === 0) return [];
  const lines: StyledLine[] = [
    { role: "header", text: `--- ${inert(section.from)} (${section.subject})` },
    { role: "header", text: `+++ ${inert(section.to)}` },
  ];
  for (const hunk of section.hunks) {
    lines.push({
      role: "hunk",
      text: `@@ -${hunk.from.start},${hunk.from.count} +${hunk.to.start},${hunk.to.count} @@`,
    });
    for (const line of hunk.lines) lines.push({ role: ROLE[line.kind], text: `${line.kind}${inert(line.text)}` });
  }
  return lines;
}

/** Every section's diff: empty when nothing would change. */
export function diffLines(plan: DiffPlan): StyledLine[] {
  return plan.sections.flatMap(sectionLines);
}

/** The diff as one text (the action's `diff` output). */
export function diffText(plan: DiffPlan): string {
  return diffLines(plan)
    .map((l) => l.text)
    .join("\n");
}

const changeCount = (section: DiffSection) =>
  section.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind !== " ").length, 0);

/** A fence no line of the block can close: longer than its longest run of backticks. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** `openUpTo`: a section of at most that many changed lines is shown open; a longer one stays collapsed. */
export function diffMarkdown(plan: DiffPlan, heading: string, options: { openUpTo?: number } = {}): string {
  const parts = [`### ${escapeText(heading)}`, ""];
  const changed = plan.sections.filter((s) => s.hunks.length > 0);
  if (changed.length === 0) parts.push("No changes: the deploy context matches the live service.", "");
  for (const section of changed) {
    const body = sectionLines(section)
      .map((l) => l.text)
      .join("\n");
    const fence = fenceFor(body);
    const count = changeCount(section);
    parts.push(
      count <= (options.openUpTo ?? 0) ? "<details open>" : "<details>",
      `<summary>${escapeText(section.subject)}: ${count} changed ${count === 1 ? "line" : "lines"} (${escapeText(section.from)} → ${escapeText(section.to)})</summary>`,
      "",
      `${fence}diff`,
      body,
      fence,
      "",
      "</details>",
      "",
    );
  }
  for (const note of plan.notes) parts.push(`> ${prose(note)}`, "");
  return `${parts.join("\n")}\n`;
}
