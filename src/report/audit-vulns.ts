/**
 * The part of the audit engine's AuditReport (src/audit/types.ts) that the markdown renderings read, and counting
 * over it; the engine's report is assignable to these types.
 */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AuditFinding {
  id: string;
  severity: Severity;
  description: string;
  uri?: string;
  packages: { name: string; version: string; fixedIn?: string }[];
  cvss?: number;
  fixable: boolean;
}

export interface AuditContainer {
  name: string;
  image: string;
  digest?: string;
  /** The manifest list / OCI index digest, when the image is multi-arch; `architecture` says whose image was read. */
  indexDigest?: string;
  architecture?: string;
  status: string;
  reason?: string;
  findings: AuditFinding[];
  ignored: { finding: AuditFinding }[];
}

export interface AuditService {
  region: string;
  cluster: string;
  service: string;
  source: string;
  sourceNote?: string;
  taskDefinitionFile?: string;
  error?: { status: string; reason: string };
  containers: AuditContainer[];
}

export interface AuditReport {
  scannedAt: number;
  source: string;
  services: AuditService[];
  expiredIgnores: { message: string }[];
}

export type SeverityCounts = Record<Severity, number>;

export interface Vuln {
  finding: AuditFinding;
  severity: Severity;
  fixable: boolean;
  containers: string[];
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Unique vulnerabilities across the services, in their worst severity, sorted by id. */
export function vulnsOf(services: AuditService[]): Vuln[] {
  const byId = new Map<string, Vuln>();
  for (const s of services) {
    for (const c of s.containers) {
      for (const finding of c.findings) {
        const where = services.length > 1 ? `${s.service}/${c.name}` : c.name;
        const vuln = byId.get(finding.id);
        if (!vuln) {
          byId.set(finding.id, { finding, severity: finding.severity, fixable: finding.fixable, containers: [where] });
          continue;
        }
        if (rank(finding.severity) < rank(vuln.severity)) vuln.severity = finding.severity;
        vuln.fixable ||= finding.fixable;
        if (!vuln.containers.includes(where)) vuln.containers.push(where);
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.finding.id.localeCompare(b.finding.id));
}

export function countsOf(vulns: Vuln[]): SeverityCounts & { fixable: number; total: number } {
  const counts = {
    CRITICAL: 0,
    HIGH: 0,
    MEDIUM: 0,
    LOW: 0,
    INFORMATIONAL: 0,
    UNDEFINED: 0,
    fixable: 0,
    total: vulns.length,
  };
  for (const v of vulns) {
    counts[v.severity] += 1;
    if (v.fixable) counts.fixable += 1;
  }
  return counts;
}

export function highestOf(vulns: Vuln[]): Severity | "NONE" {
  return SEVERITIES.find((s) => vulns.some((v) => v.severity === s)) ?? "NONE";
}
