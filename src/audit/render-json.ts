/**
 * `--json`: schema version 2, documented in audit-report.schema.json. It keeps canarycage's fields and meanings
 * (region, cluster, service, summary.*_count, vulns[].cve, vulns[].containers, scanned_at) so scripts written for
 * canarycage keep working, and adds per-service and per-container results. Version 2 gives highest_severity the
 * action's words: NONE or UNKNOWN where canarycage (and version 1) said UNDEFINED for "nothing found".
 */
import type { IgnoreEntry } from "./ignore-file.js";
import type { SeverityCounts } from "./severity.js";
import { countsOf, ignoredVulnsOf, type Summary, summaryOf, type Vuln, vulnsOf } from "./summary.js";
import type { AuditReport, ContainerAudit, ServiceAudit } from "./types.js";

export const JSON_SCHEMA_VERSION = 2;

function summaryJson(summary: Summary) {
  const s = summary.severities;
  return {
    critical_count: s.CRITICAL,
    high_count: s.HIGH,
    medium_count: s.MEDIUM,
    low_count: s.LOW,
    info_count: s.INFORMATIONAL,
    undefined_count: s.UNDEFINED,
    total_count: summary.total,
    highest_severity: summary.highest,
    fixable_count: summary.fixable,
    ignored_count: summary.ignored,
  };
}

function countsJson(s: SeverityCounts) {
  return {
    critical: s.CRITICAL,
    high: s.HIGH,
    medium: s.MEDIUM,
    low: s.LOW,
    informational: s.INFORMATIONAL,
    undefined: s.UNDEFINED,
  };
}

function ignoreJson(entry: IgnoreEntry, file: string | undefined) {
  return {
    id: entry.id,
    reason: entry.reason,
    expires: entry.expires ?? null,
    package: entry.package ?? null,
    image: entry.image ?? null,
    file: file ?? null,
    line: entry.line,
  };
}

function vulnJson(v: Vuln, file: string | undefined) {
  const f = v.finding;
  const e = f.enhanced;
  const unique = (values: string[]) => [...new Set(values)].join(", ");
  const json = {
    cve: {
      name: f.id,
      description: f.description,
      package_name: unique(f.packages.map((p) => p.name)),
      package_version: unique(f.packages.map((p) => p.version)),
      uri: f.uri ?? "",
      severity: v.severity,
      enhanced_analysis: e
        ? {
            status: e.status ?? "",
            exploit_available: e.exploitAvailable ?? "",
            fix_available: e.fixAvailable ?? "",
            fixed_in_version: e.fixedInVersion ?? "",
            score: e.score ?? 0,
          }
        : null,
      cvss_score: f.cvss ?? null,
      fixable: v.fixable,
      fix_status: v.fixable ? "fixable" : v.fixUnknown ? "unknown" : "not-fixable",
      packages: f.packages.map((p) => ({ name: p.name, version: p.version, fixed_in_version: p.fixedIn ?? null })),
    },
    containers: [...new Set(v.locations.map((l) => l.container))].sort(),
    locations: v.locations.map((l) => ({ ...l })),
  };
  return v.ignore ? { ...json, ignore: ignoreJson(v.ignore, file) } : json;
}

function containerJson(c: ContainerAudit) {
  const counts = countsOf(c);
  return {
    name: c.name,
    image: c.image,
    tag: c.tag ?? null,
    digest: c.digest ?? null,
    index_digest: c.indexDigest ?? null,
    architecture: c.architecture,
    registry_id: c.registryId ?? null,
    registry_region: c.registryRegion ?? null,
    repository: c.repository ?? null,
    status: c.status,
    reason: c.reason ?? null,
    scan_completed_at: c.scanCompletedAt === undefined ? null : new Date(c.scanCompletedAt).toISOString(),
    task_count: c.taskCount ?? null,
    counts: countsJson(counts.severities),
    total_count: counts.total,
    fixable_count: counts.fixable,
    ignored_count: counts.ignored,
  };
}

function serviceJson(s: ServiceAudit) {
  return {
    region: s.region,
    cluster: s.cluster,
    service: s.service,
    source: s.source,
    source_note: s.sourceNote ?? null,
    task_definition_arn: s.taskDefinitionArn ?? null,
    error: s.error ? { status: s.error.status, reason: s.error.reason } : null,
    summary: summaryJson(summaryOf([s])),
    containers: s.containers.map(containerJson),
  };
}

/** The value every service shares, or null when they differ (or there is none). */
function shared(services: ServiceAudit[], key: "region" | "cluster" | "service"): string | null {
  const values = new Set(services.map((s) => s[key]));
  return values.size === 1 ? ([...values][0] as string) : null;
}

export function toJsonReport(report: AuditReport) {
  const vulns = vulnsOf(report.services).map((v) => vulnJson(v, report.ignoreFile));
  return {
    schema_version: JSON_SCHEMA_VERSION,
    region: shared(report.services, "region"),
    cluster: shared(report.services, "cluster"),
    service: shared(report.services, "service"),
    source: report.source,
    summary: summaryJson(summaryOf(report.services)),
    // null rather than [] when empty, as canarycage prints it
    vulns: vulns.length > 0 ? vulns : null,
    ignored_vulns: ignoredVulnsOf(report.services).map((v) => vulnJson(v, report.ignoreFile)),
    services: report.services.map(serviceJson),
    expired_ignores: report.expiredIgnores.map((e) => ({
      ...ignoreJson(e.entry, report.ignoreFile),
      message: e.message,
    })),
    ignore_file: report.ignoreFile ?? null,
    scanned_at: new Date(report.scannedAt).toISOString(),
  };
}

export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
