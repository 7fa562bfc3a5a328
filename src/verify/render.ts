/** The checklist as log lines (inert) and as a markdown table (escaped), the same data in both. */
import { escapeText, table } from "../report/escape.js";
import { inert } from "../shared/inert.js";
import type { VerifyReport } from "./types.js";

export function countsLine(report: VerifyReport): string {
  const { OK, NG, SKIP } = report.counts;
  return `verify ${report.failed ? "failed" : "passed"}: ${NG} NG, ${OK} OK, ${SKIP} SKIP`;
}

export function renderChecklist(report: VerifyReport): string[] {
  return report.checks.map((c) => inert(`${`[${c.status}]`.padEnd(6)} ${c.name}${c.reason ? `: ${c.reason}` : ""}`));
}

export function renderChecklistMarkdown(report: VerifyReport): string {
  const heading = `### Verify ${report.failed ? "failed" : "passed"}`;
  const rows = report.checks.map((c) => [`\`${c.status}\``, escapeText(c.name), escapeText(c.reason)]);
  return `${heading}\n\n${escapeText(countsLine(report))}\n\n${table(["", "Check", "Why"], rows)}`;
}
