/** Counting a report: per container, per service, and unique vulnerabilities across everything. */
import { countBySeverity, type Severity, type SeverityCounts, worse } from "./severity.js";
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
}

export function summaryOf(services: ServiceAudit[]): Summary {
  const vulns = vulnsOf(services);
  return {
    severities: countBySeverity(vulns.map((v) => ({ id: v.finding.id, severity: v.severity }))),
    total: vulns.length,
    fixable: vulns.filter((v) => v.fixable).length,
    ignored: ignoredVulnsOf(services).length,
  };
}

/** A row label: `cluster/service`. */
export function serviceLabel(s: { cluster: string; service: string }): string {
  return `${s.cluster}/${s.service}`;
}

/** What a row needs: a report's service, or the job summary's (src/report/audit-markdown.ts). */
type RowSource = {
  cluster: string;
  service: string;
  error?: { status: string };
  containers: { name: string; status: string }[];
};

/** The report's rows as the table shows them: a service that could not be read is one row, else its containers. */
export function rowsOf(services: RowSource[]): { label: string; status: string }[] {
  return services.flatMap((s) =>
    s.error
      ? [{ label: serviceLabel(s), status: s.error.status }]
      : s.containers.map((c) => ({ label: `${serviceLabel(s)} ${c.name}`, status: c.status })),
  );
}

/** A row whose findings could not be read at all. */
export const isUnread = (row: { status: string }) => (ERROR_STATUSES as readonly string[]).includes(row.status);

/**
 * "2 of 5 rows could not be read", or undefined when every row was read: "no vulnerabilities found" must never
 * stand alone when part of the audit failed.
 */
export function unreadNote(services: RowSource[]): string | undefined {
  const all = rowsOf(services);
  const rows = all.length;
  const unread = all.filter(isUnread).length;
  if (unread === 0) return undefined;
  return unread === rows
    ? `nothing could be read: ${rows === 1 ? "the only row" : `all ${rows} rows`} failed`
    : `${unread} of ${rows} rows could not be read`;
}
