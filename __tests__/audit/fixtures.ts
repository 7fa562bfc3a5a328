/** Named report fixtures for the pure renderer and gate tests. */
import type { Severity } from "../../src/audit/severity.js";
import type { AuditReport, ContainerAudit, Finding, ServiceAudit } from "../../src/audit/types.js";

export const DIGEST_WEB = `sha256:${"a1".repeat(32)}`;
export const DIGEST_API = `sha256:${"b2".repeat(32)}`;
export const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

export function finding(id: string, severity: Severity, fixedIn?: string, cvss?: number): Finding {
  const f: Finding = {
    id,
    severity,
    description: `${id} lets an attacker do things. More words follow.`,
    uri: `https://nvd.nist.gov/vuln/detail/${id}`,
    packages: [{ name: "openssl", version: "3.0.1", ...(fixedIn ? { fixedIn } : {}) }],
    fixable: fixedIn !== undefined,
  };
  if (cvss !== undefined) f.cvss = cvss;
  return f;
}

export function container(name: string, findings: Finding[], extra: Partial<ContainerAudit> = {}): ContainerAudit {
  return {
    name,
    image: `${REGISTRY}/${name}:v1`,
    tag: "v1",
    digest: name === "api" ? DIGEST_API : DIGEST_WEB,
    architecture: "amd64",
    registryId: "123456789012",
    registryRegion: "us-east-1",
    repository: name,
    status: "COMPLETE",
    findings,
    ignored: [],
    ...extra,
  };
}

export function service(name: string, containers: ContainerAudit[], extra: Partial<ServiceAudit> = {}): ServiceAudit {
  return { region: "us-east-1", cluster: "prod", service: name, source: "running", containers, ...extra };
}

export function report(services: ServiceAudit[], extra: Partial<AuditReport> = {}): AuditReport {
  return { scannedAt: Date.parse("2026-11-25T12:00:00Z"), source: "running", services, expiredIgnores: [], ...extra };
}

/** Two services: web has a fixable CRITICAL and an unfixable MEDIUM; api shares the MEDIUM and has a LOW. */
export function twoServices(): AuditReport {
  const medium = finding("CVE-2024-0002", "MEDIUM", undefined, 5.3);
  return report([
    service("web", [container("web", [finding("CVE-2024-0001", "CRITICAL", "3.0.2", 9.8), medium])]),
    service("api", [container("api", [medium, finding("CVE-2024-0003", "LOW", "1.1")])]),
  ]);
}
