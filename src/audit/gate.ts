/** The pass/fail verdict over a report: a pure function, and its reason states the comparison. */
import { rankOf, SEVERITIES, type Severity } from "./severity.js";
import { isUnread, rowsOf, vulnsOf } from "./summary.js";
import type { AuditReport } from "./types.js";

export const FAIL_ON = ["critical", "high", "medium", "low", "any", "none"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface GateOptions {
  failOn: FailOn;
  /** Count only findings with a fix available. */
  fixableOnly: boolean;
  /** Also fail when an image has no usable scan (not scannable, no scan, scan failed or still running). */
  failOnUnscanned?: boolean;
}

export interface GateResult {
  failed: boolean;
  reason: string;
}

/** The least severe severity that fails; undefined for `none`. */
function threshold(failOn: FailOn): Severity | undefined {
  if (failOn === "none") return undefined;
  if (failOn === "any") return "UNDEFINED";
  return failOn.toUpperCase() as Severity;
}

function list(items: string[], max = 5): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * Fails when a non-ignored finding is at or above the threshold (fixable ones only, if asked), or when a
 * container or service could not be audited at all (an error must never pass as "no findings").
 */
export function gate(report: AuditReport, options: GateOptions): GateResult {
  const limit = threshold(options.failOn);
  const rows = rowsOf(report.services);
  const errors = rows.filter(isUnread).map((r) => `${r.label}: ${r.status}`);
  const unscanned = rows.filter((r) => r.status !== "COMPLETE" && !isUnread(r)).map((r) => `${r.label}: ${r.status}`);
  if (limit === undefined) {
    return { failed: false, reason: "passed: fail-on is none, so findings and errors do not fail the audit" };
  }
  const scope = options.fixableOnly ? "fixable " : "";
  const failing = vulnsOf(report.services).filter(
    (v) => rankOf(v.severity) <= rankOf(limit) && (!options.fixableOnly || v.fixable || v.fixUnknown),
  );
  const reasons: string[] = [];
  if (failing.length > 0) {
    const bySeverity = SEVERITIES.map((s) => [s, failing.filter((v) => v.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    const unknown = options.fixableOnly ? failing.filter((v) => v.fixUnknown).length : 0;
    const note = unknown > 0 ? `, ${unknown} of them from basic scanning, which cannot tell whether a fix exists` : "";
    reasons.push(
      `${failing.length} ${scope}finding(s) at or above ${limit} (${bySeverity.join(", ")}${note}): ` +
        list(failing.map((v) => v.finding.id)),
    );
  }
  if (errors.length > 0) reasons.push(`${errors.length} could not be audited (${list(errors)})`);
  if (options.failOnUnscanned && unscanned.length > 0) {
    reasons.push(`${unscanned.length} image(s) have no usable scan (${list(unscanned)})`);
  }
  if (reasons.length > 0) return { failed: true, reason: `failed: ${reasons.join("; ")}` };
  const notes = [`no ${scope}finding at or above ${limit}`];
  if (unscanned.length > 0) notes.push(`${unscanned.length} image(s) not scanned (${list(unscanned)})`);
  return { failed: false, reason: `passed: ${notes.join("; ")}` };
}
