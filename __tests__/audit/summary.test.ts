import { describe, expect, it } from "vitest";
import { type HighestSeverity, type ServiceAudit, summaryOf, vulnsOf } from "../../src/audit/index.js";
import { container, finding, service } from "./fixtures.js";

describe("vulnsOf and summaryOf", () => {
  it("counts a vulnerability once, in its worst severity, fixable if any record says so, everywhere it is", () => {
    const services = [
      service("web", [container("app", [finding("CVE-1", "LOW"), finding("CVE-2", "MEDIUM")])]),
      service("api", [container("app", [finding("CVE-1", "CRITICAL", "1.1")])]),
    ];
    const vulns = vulnsOf(services);
    expect(vulns.map((v) => [v.finding.id, v.severity, v.fixable, v.locations.map((l) => l.service)])).toEqual([
      ["CVE-1", "CRITICAL", true, ["web", "api"]],
      ["CVE-2", "MEDIUM", false, ["web"]],
    ]);
    expect(summaryOf(services)).toEqual({
      severities: { CRITICAL: 1, HIGH: 0, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 },
      total: 2,
      fixable: 1,
      ignored: 0,
      unscanned: 0,
      highest: "CRITICAL",
    });
  });
});

describe("the highest severity", () => {
  const scanned = (findings: ReturnType<typeof finding>[]) => container("web", findings);
  it.each<[string, ServiceAudit[], HighestSeverity, number]>([
    ["the worst finding", [service("web", [scanned([finding("CVE-1", "LOW"), finding("CVE-2", "HIGH")])])], "HIGH", 0],
    ["only findings ECR has not rated", [service("web", [scanned([finding("CVE-1", "UNDEFINED")])])], "UNDEFINED", 0],
    ["every row scanned, nothing found", [service("web", [scanned([])])], "NONE", 0],
    [
      "nothing found, an image ECR cannot scan",
      [service("web", [scanned([]), container("proxy", [], { status: "NOT_SCANNABLE" })])],
      "UNKNOWN",
      1,
    ],
    [
      "nothing found, a scan that FAILED",
      [service("web", [container("web", [], { status: "FAILED", reason: "ECR reports the scan as FAILED" })])],
      "UNKNOWN",
      1,
    ],
    [
      "nothing found, a service that could not be read",
      [service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "no service gone" } })],
      "UNKNOWN",
      1,
    ],
    [
      "a finding beside a row without a scan",
      [service("web", [scanned([finding("CVE-1", "MEDIUM")]), container("proxy", [], { status: "NO_SCAN" })])],
      "MEDIUM",
      1,
    ],
    [
      "only ignored findings",
      [
        service("web", [
          container("web", [], {
            ignored: [{ finding: finding("CVE-1", "CRITICAL"), rule: { id: "CVE-1", reason: "unreachable", line: 1 } }],
          }),
        ]),
      ],
      "NONE",
      0,
    ],
  ])("%s: %s", (_, services, highest, unscanned) => {
    expect(summaryOf(services)).toMatchObject({ highest, unscanned });
  });
});
