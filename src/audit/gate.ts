/** The pass/fail verdict over a report: a pure function, and its reason states the comparison. */
import { rankOf, SEVERITIES, type Severity } from "./severity.js";
import { type Gap, gapOf, rowsOf, vulnsOf } from "./summary.js";
import type { AuditReport, AuditResult } from "./types.js";

export const FAIL_ON = ["critical", "high", "medium", "low", "any", "none"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * Which images without a usable scan fail: `private` (default) every ECR image whose scan is missing, failed, not
 * done or not readable, and every row the audit could not read; `all` also images ECR cannot scan (public or
 * third-party registries); `none` fails on none of them. What does not fail is a warning.
 */
export const FAIL_ON_UNSCANNED = ["private", "all", "none"] as const;
export type FailOnUnscanned = (typeof FAIL_ON_UNSCANNED)[number];

export interface GateOptions {
  failOn: FailOn;
  /** Count only findings with a fix available. */
  fixableOnly: boolean;
  /** Default `private`: a gate never passes what it could not read unless told to. */
  failOnUnscanned?: FailOnUnscanned;
}

export interface GateResult {
  failed: boolean;
  reason: string;
  /** Rows without a usable scan that did not fail the gate: the step passes with a warning. */
  warned: boolean;
}

/** The least severe severity that fails; undefined for `none`. */
function threshold(failOn: FailOn): Severity | undefined {
  if (failOn === "none") return undefined;
  if (failOn === "any") return "UNDEFINED";
  return failOn.toUpperCase() as Severity;
}

/** The severities at or above `failOn`, worst first; none for `none`. */
export function failingSeverities(failOn: FailOn): Severity[] {
  const limit = threshold(failOn);
  return limit === undefined ? [] : SEVERITIES.filter((s) => rankOf(s) <= rankOf(limit));
}

function list(items: string[], max = 5): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

const GAP_TEXT: Record<Gap, string> = {
  unread: "could not be audited",
  unscanned: "image(s) without a usable scan",
  "not-scannable": "image(s) ECR cannot scan",
};

function gapFails(gap: Gap, failOnUnscanned: FailOnUnscanned): boolean {
  if (failOnUnscanned === "none") return false;
  return gap !== "not-scannable" || failOnUnscanned === "all";
}

function findingReason(report: AuditReport, limit: Severity, fixableOnly: boolean): string | undefined {
  const scope = fixableOnly ? "fixable " : "";
  const failing = vulnsOf(report.services).filter(
    (v) => rankOf(v.severity) <= rankOf(limit) && (!fixableOnly || v.fixable || v.fixUnknown),
  );
  if (failing.length === 0) return undefined;
  const bySeverity = SEVERITIES.map((s) => [s, failing.filter((v) => v.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const unknown = fixableOnly ? failing.filter((v) => v.fixUnknown).length : 0;
  const note = unknown > 0 ? `, ${unknown} of them from basic scanning, which cannot tell whether a fix exists` : "";
  return (
    `${failing.length} ${scope}finding(s) at or above ${limit} (${bySeverity.join(", ")}${note}): ` +
    list(failing.map((v) => v.finding.id))
  );
}

/**
 * Fails when a non-ignored finding is at or above `failOn` (fixable ones only, if asked), or when a row has no
 * usable scan and `failOnUnscanned` says it fails: an image whose findings could not be read never passes as
 * "no findings" unless asked. The other rows without a scan are named in the reason, as a warning.
 */
export function gate(report: AuditReport, options: GateOptions): GateResult {
  const limit = threshold(options.failOn);
  const failOnUnscanned = options.failOnUnscanned ?? "private";
  const rows = rowsOf(report.services).map((r) => ({ ...r, gap: gapOf(r) }));
  const failing: string[] = [];
  const warnings: string[] = [];
  const found = limit === undefined ? undefined : findingReason(report, limit, options.fixableOnly);
  if (found) failing.push(found);
  for (const gap of ["unread", "unscanned", "not-scannable"] as const) {
    const labels = rows.filter((r) => r.gap === gap).map((r) => `${r.label}: ${r.status}`);
    if (labels.length === 0) continue;
    const text = `${labels.length} ${GAP_TEXT[gap]} (${list(labels)})`;
    (gapFails(gap, failOnUnscanned) ? failing : warnings).push(text);
  }
  const warned = warnings.length > 0;
  const warning = warned ? `; warning: ${warnings.join("; ")}` : "";
  if (failing.length > 0) return { failed: true, reason: `failed: ${failing.join("; ")}${warning}`, warned };
  const scope = options.fixableOnly ? "fixable " : "";
  const verdict =
    limit === undefined
      ? "fail-on is none, so findings do not fail the audit"
      : `no ${scope}finding at or above ${limit}`;
  return { failed: false, reason: `passed: ${verdict}${warning}`, warned };
}

/** The audit's result: the gate's verdict, or a failure saying why there is no report to judge. */
export function auditResultOf(verdict: Pick<GateResult, "failed" | "reason"> | undefined, crash = ""): AuditResult {
  return verdict
    ? { result: verdict.failed ? "failed" : "succeeded", message: verdict.reason }
    : { result: "failed", message: crash };
}
