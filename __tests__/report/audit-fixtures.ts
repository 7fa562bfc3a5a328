import type { AuditContainer, AuditFinding, AuditReport, AuditService } from "../../src/report/audit-markdown.js";

export const SCANNED_AT = Date.parse("2026-11-25T10:00:00Z");

export function finding(
  id: string,
  severity: AuditFinding["severity"] = "HIGH",
  extra: Partial<AuditFinding> = {},
): AuditFinding {
  return {
    id,
    severity,
    description: `${id} in zlib`,
    packages: [{ name: "zlib", version: "1.2" }],
    fixable: false,
    ...extra,
  };
}

export function container(name: string, findings: AuditFinding[], extra: Partial<AuditContainer> = {}): AuditContainer {
  return {
    name,
    image: `123456789012.dkr.ecr.us-west-2.amazonaws.com/${name}:v43`,
    status: "COMPLETE",
    findings,
    ignored: [],
    ...extra,
  };
}

export function service(name: string, containers: AuditContainer[], extra: Partial<AuditService> = {}): AuditService {
  return { region: "us-west-2", cluster: "prod", service: name, source: "running", containers, ...extra };
}

export function auditReport(services: AuditService[]): AuditReport {
  return { scannedAt: SCANNED_AT, source: "running", services, expiredIgnores: [] };
}
