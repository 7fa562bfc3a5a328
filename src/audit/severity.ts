/** Severities, their order, and counting findings into one column each. */

export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type SeverityCounts = Record<Severity, number>;

/** ECR's and Inspector's words mapped onto the six columns; UNTRIAGED and anything unknown is UNDEFINED. */
export function severityOf(raw: string | undefined): Severity {
  const word = (raw ?? "").trim().toUpperCase();
  if (word === "INFO") return "INFORMATIONAL";
  return (SEVERITIES as readonly string[]).includes(word) ? (word as Severity) : "UNDEFINED";
}

/** 0 for CRITICAL up to 5 for UNDEFINED: lower is worse. */
export function rankOf(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function worse(a: Severity, b: Severity): Severity {
  return rankOf(a) <= rankOf(b) ? a : b;
}

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 };
}

/**
 * Counts unique vulnerability ids per severity. An id seen twice (two packages, two containers) counts once, in
 * its worst severity.
 */
export function countBySeverity(findings: Iterable<{ id: string; severity: Severity }>): SeverityCounts {
  const worst = new Map<string, Severity>();
  for (const f of findings) {
    const seen = worst.get(f.id);
    worst.set(f.id, seen ? worse(seen, f.severity) : f.severity);
  }
  const counts = emptyCounts();
  for (const severity of worst.values()) counts[severity] += 1;
  return counts;
}

export function totalOf(counts: SeverityCounts): number {
  return SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
}

/** The worst severity with a non-zero count; undefined when every count is 0. */
export function worstOf(counts: SeverityCounts): Severity | undefined {
  return SEVERITIES.find((s) => counts[s] > 0);
}

/**
 * The one word for a report's worst finding, in the action's `highest-severity` output, the JSON's
 * `highest_severity` and the summary alike: the worst severity found; `NONE` when every row was scanned and nothing
 * was found; `UNKNOWN` when nothing was found but some row has no usable scan. UNDEFINED is a severity ECR gives
 * (not rated yet), never "nothing found".
 */
export const HIGHEST_SEVERITIES = [...SEVERITIES, "UNKNOWN", "NONE"] as const;
export type HighestSeverity = (typeof HIGHEST_SEVERITIES)[number];
