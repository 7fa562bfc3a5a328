/** Counting a report: per container, per service, and unique vulnerabilities across everything. */
import {
  countBySeverity,
  type HighestSeverity,
  type Severity,
  type SeverityCounts,
  worse,
  worstOf,
} from "./severity.js";
import { type ContainerAudit, ERROR_STATUSES, type Finding, type IgnoredFinding, type ServiceAudit } from "./types.js";

export interface ContainerCounts {
  severities: SeverityCounts;
  total: number;
  fixable: number;
  ignored: number;
}

function uniqueIds(findings: Iterable<{ id: string }>): number {
  return new Set([...findings].map((f) => f.id)).size;
}

export function countsOf(container: ContainerAudit): ContainerCounts {
  const severities = countBySeverity(container.findings);
  return {
    severities,
    total: uniqueIds(container.findings),
    fixable: uniqueIds(container.findings.filter((f) => f.fixable)),
    ignored: uniqueIds(container.ignored.map((i) => i.finding)),
  };
}

export interface Location {
  region: string;
  cluster: string;
  service: string;
  container: string;
  image: string;
}

/** One vulnerability across the report: the first record seen, its worst severity, and everywhere it is. */
export interface Vuln {
  finding: Finding;
  severity: Severity;
  fixable: boolean;
  /** Not known to be fixable, and some scan could not tell (basic scanning). */
  fixUnknown: boolean;
  locations: Location[];
  /** Set for ignored vulnerabilities: the entry that ignores them. */
  ignore?: IgnoredFinding["rule"];
}

function collect(
  services: ServiceAudit[],
  pick: (c: ContainerAudit) => { finding: Finding; rule?: IgnoredFinding["rule"] }[],
) {
  const byId = new Map<string, Vuln>();
  for (const s of services) {
    for (const c of s.containers) {
      for (const { finding, rule } of pick(c)) {
        const location = {
          region: s.region,
          cluster: s.cluster,
          service: s.service,
          container: c.name,
          image: c.image,
        };
        const vuln = byId.get(finding.id);
        if (!vuln) {
          const created: Vuln = {
            finding,
            severity: finding.severity,
            fixable: finding.fixable,
            fixUnknown: finding.fixUnknown === true && !finding.fixable,
            locations: [location],
          };
          if (rule) created.ignore = rule;
          byId.set(finding.id, created);
          continue;
        }
        vuln.severity = worse(vuln.severity, finding.severity);
        vuln.fixable ||= finding.fixable;
        vuln.fixUnknown = !vuln.fixable && (vuln.fixUnknown || finding.fixUnknown === true);
        const last = vuln.locations[vuln.locations.length - 1];
        if (!(last && last.service === location.service && last.container === location.container)) {
          vuln.locations.push(location);
        }
      }
    }
  }
  return [...byId.values()].sort((a, b) => (a.finding.id < b.finding.id ? -1 : a.finding.id > b.finding.id ? 1 : 0));
}

/** Unique vulnerabilities that are not ignored, sorted by id. */
export function vulnsOf(services: ServiceAudit[]): Vuln[] {
  return collect(services, (c) => c.findings.map((finding) => ({ finding })));
}

/** Unique ignored vulnerabilities with the entry that ignores them, sorted by id. */
export function ignoredVulnsOf(services: ServiceAudit[]): Vuln[] {
  return collect(services, (c) => c.ignored);
}

export interface Summary {
  severities: SeverityCounts;
  total: number;
  fixable: number;
  ignored: number;
  /** Rows without a usable scan: unread, unscanned or not scannable (`gapOf`). */
  unscanned: number;
  highest: HighestSeverity;
}

/** The report's figures; `vulns` when the caller has them already (`vulnsOf(services)`). */
export function summaryOf(services: ServiceAudit[], vulns = vulnsOf(services)): Summary {
  const severities = countBySeverity(vulns.map((v) => ({ id: v.finding.id, severity: v.severity })));
  const unscanned = rowsOf(services).filter((r) => gapOf(r) !== undefined).length;
  return {
    severities,
    total: vulns.length,
    fixable: vulns.filter((v) => v.fixable).length,
    ignored: ignoredVulnsOf(services).length,
    unscanned,
    // "NONE" claims a clean audit: not when some image's findings could not be read.
    highest: worstOf(severities) ?? (unscanned > 0 ? "UNKNOWN" : "NONE"),
  };
}

/** A row label: `cluster/service`. */
export function serviceLabel(s: { cluster: string; service: string }): string {
  return `${s.cluster}/${s.service}`;
}

/** The report's rows as the table shows them: a service that could not be read is one row, else its containers. */
export function rowsOf(services: ServiceAudit[]): { label: string; status: string }[] {
  return services.flatMap((s) =>
    s.error
      ? [{ label: serviceLabel(s), status: s.error.status }]
      : s.containers.map((c) => ({ label: `${serviceLabel(s)} ${c.name}`, status: c.status })),
  );
}

/** A row whose findings could not be read at all. */
export const isUnread = (row: { status: string }) => (ERROR_STATUSES as readonly string[]).includes(row.status);

/**
 * Why a row has no counts: `unread` (the audit could not read it), `unscanned` (an ECR image without a usable
 * scan: failed, missing, unsupported, still running), `not-scannable` (not in ECR, or in a public registry).
 */
export type Gap = "unread" | "unscanned" | "not-scannable";
export const GAPS: readonly Gap[] = ["unread", "unscanned", "not-scannable"];

export function gapOf(row: { status: string }): Gap | undefined {
  if (row.status === "COMPLETE") return undefined;
  if (row.status === "NOT_SCANNABLE") return "not-scannable";
  return isUnread(row) ? "unread" : "unscanned";
}

/** Some row's findings are unknown for a reason other than ECR being unable to scan the image: never "clean". */
export function missesScans(services: ServiceAudit[]): boolean {
  return rowsOf(services).some((r) => {
    const gap = gapOf(r);
    return gap === "unread" || gap === "unscanned";
  });
}

const GAP_VERB: Record<Gap, [one: string, many: string]> = {
  unread: ["could not be read", "could not be read"],
  unscanned: ["has no usable scan", "have no usable scan"],
  "not-scannable": ["cannot be scanned by ECR", "cannot be scanned by ECR"],
};

/**
 * "2 of 5 rows could not be read", "of 3 rows, 1 has no usable scan and 1 cannot be scanned by ECR", or undefined
 * when every row's scan was read: "no vulnerabilities found" must never stand alone when part of the audit is
 * missing.
 */
export function unreadNote(services: ServiceAudit[]): string | undefined {
  const all = rowsOf(services);
  const rows = all.length;
  const counts = GAPS.map((gap) => [gap, all.filter((r) => gapOf(r) === gap).length] as const).filter(([, n]) => n);
  if (counts.length === 0) return undefined;
  const [gap, n] = counts[0] as readonly [Gap, number];
  if (counts.length === 1 && n === rows && gap === "unread") {
    return `nothing could be read: ${rows === 1 ? "the only row" : `all ${rows} rows`} failed`;
  }
  if (counts.length === 1) return `${n} of ${rows} rows ${GAP_VERB[gap][n === 1 ? 0 : 1]}`;
  const parts = counts.map(([g, count]) => `${count} ${GAP_VERB[g][count === 1 ? 0 : 1]}`);
  return `of ${rows} rows, ${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}
