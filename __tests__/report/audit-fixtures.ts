import type { AuditReport, ContainerAudit, Finding, ServiceAudit } from "../../src/audit/index.js";

export const SCANNED_AT = Date.parse("2026-11-25T10:00:00Z");

export function finding(id: string, severity: Finding["severity"] = "HIGH", extra: Partial<Finding> = {}): Finding {
  return {
    id,
    severity,
    description: `${id} in zlib`,
    packages: [{ name: "zlib", version: "1.2" }],
    fixable: false,
    ...extra,
  };
}

export function container(name: string, findings: Finding[], extra: Partial<ContainerAudit> = {}): ContainerAudit {
  return {
    name,
    image: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${name}:v43`,
    architecture: "amd64",
    status: "COMPLETE",
    findings,
    ignored: [],
    ...extra,
  };
}

export function service(name: string, containers: ContainerAudit[], extra: Partial<ServiceAudit> = {}): ServiceAudit {
  return { region: "us-west-2", cluster: "prod", service: name, source: "running", containers, ...extra };
}

export function auditReport(services: ServiceAudit[]): AuditReport {
  return { scannedAt: SCANNED_AT, source: "running", services, expiredIgnores: [] };
}
