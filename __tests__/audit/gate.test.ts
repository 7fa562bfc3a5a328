import { describe, expect, it } from "vitest";
import { type FailOn, type FailOnUnscanned, gate } from "../../src/audit/gate.js";
import type { AuditReport } from "../../src/audit/types.js";
import { container, finding, report, service, twoServices } from "./fixtures.js";

const clean = report([service("web", [container("web", [])])]);
const untriaged = report([service("web", [container("web", [finding("CVE-9", "UNDEFINED")])])]);
const denied = report([
  service("web", [container("web", [])]),
  service("api", [container("api", [], { status: "ACCESS_DENIED", reason: "denied" })]),
]);
const missing = report([service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "no such service" } })]);
const unscanned = report([service("web", [container("web", [], { status: "NOT_SCANNABLE", reason: "public" })])]);
const failedScan = report([
  service("web", [
    container("web", [], { status: "FAILED", reason: "ECR reports the scan as FAILED" }),
    container("log", [], { status: "NOT_SCANNABLE", reason: "public" }),
  ]),
]);

describe("gate", () => {
  it.each<[string, AuditReport, FailOn, boolean, boolean]>([
    ["a CRITICAL fails fail-on critical", twoServices(), "critical", false, true],
    ["a fixable CRITICAL fails fail-on critical with fixable-only", twoServices(), "critical", true, true],
    ["a CRITICAL fails fail-on high too", twoServices(), "high", false, true],
    ["fail-on none passes anything", twoServices(), "none", false, false],
    ["no findings pass fail-on any", clean, "any", false, false],
    ["an untriaged finding fails fail-on any", untriaged, "any", false, true],
    ["an untriaged finding passes fail-on low", untriaged, "low", false, false],
    ["a repository that cannot be read fails the gate", denied, "critical", false, true],
    ["a missing service fails the gate", missing, "critical", false, true],
    ["a missing service fails fail-on none too: it is not a finding", missing, "none", false, true],
    ["an image ECR cannot scan passes by default", unscanned, "critical", false, false],
    ["a private image whose scan FAILED fails by default", failedScan, "critical", false, true],
    ["a private image whose scan FAILED fails fail-on none too", failedScan, "none", false, true],
  ])("%s", (_, r, failOn, fixableOnly, failed) => {
    expect(gate(r, { failOn, fixableOnly }).failed).toBe(failed);
  });

  it("counts only fixable findings with fixable-only", () => {
    const r = report([service("web", [container("web", [finding("CVE-1", "HIGH"), finding("CVE-2", "LOW", "2")])])]);
    expect(gate(r, { failOn: "high", fixableOnly: false }).failed).toBe(true);
    expect(gate(r, { failOn: "high", fixableOnly: true }).failed).toBe(false);
    expect(gate(r, { failOn: "low", fixableOnly: true })).toEqual({
      failed: true,
      reason: "failed: 1 fixable finding(s) at or above LOW (1 LOW): CVE-2",
      warned: false,
    });
  });

  it("counts basic-scan findings, whose fix status is unknown, under fixable-only and says so", () => {
    const basic = { ...finding("CVE-7", "HIGH"), fixUnknown: true };
    const r = report([service("web", [container("web", [basic])])]);
    expect(gate(r, { failOn: "high", fixableOnly: true })).toEqual({
      failed: true,
      reason:
        "failed: 1 fixable finding(s) at or above HIGH (1 HIGH, 1 of them from basic scanning, which cannot tell " +
        "whether a fix exists): CVE-7",
      warned: false,
    });
  });

  it("never counts ignored findings", () => {
    const ignoredCritical = container("web", [], {
      ignored: [{ finding: finding("CVE-1", "CRITICAL"), rule: { id: "CVE-1", reason: "accepted", line: 2 } }],
    });
    expect(gate(report([service("web", [ignoredCritical])]), { failOn: "any", fixableOnly: false }).failed).toBe(false);
  });

  it("states the comparison: how many at or above the threshold, which ids, and what could not be audited", () => {
    const r = twoServices();
    r.services.push(...denied.services.slice(1));
    expect(gate(r, { failOn: "medium", fixableOnly: false }).reason).toBe(
      "failed: 2 finding(s) at or above MEDIUM (1 CRITICAL, 1 MEDIUM): CVE-2024-0001, CVE-2024-0002; " +
        "1 could not be audited (prod/api api: ACCESS_DENIED)",
    );
  });

  it("warns about an image ECR cannot scan, and fails on it only with fail-on-unscanned all", () => {
    expect(gate(unscanned, { failOn: "critical", fixableOnly: false })).toEqual({
      failed: false,
      warned: true,
      reason:
        "passed: no finding at or above CRITICAL; warning: 1 image(s) ECR cannot scan (prod/web web: NOT_SCANNABLE)",
    });
    expect(gate(unscanned, { failOn: "critical", fixableOnly: false, failOnUnscanned: "all" })).toMatchObject({
      failed: true,
      warned: false,
    });
  });

  it.each<[FailOnUnscanned, string, AuditReport, boolean, boolean]>([
    ["private", "a FAILED scan beside a public image", failedScan, true, true],
    ["all", "a FAILED scan beside a public image", failedScan, true, false],
    ["none", "a FAILED scan beside a public image", failedScan, false, true],
    ["private", "a repository it may not read", denied, true, false],
    ["none", "a repository it may not read", denied, false, true],
    ["none", "a missing service", missing, false, true],
    ["private", "a clean image", clean, false, false],
  ])("fail-on-unscanned %s, %s: failed %s, warned %s", (failOnUnscanned, _, r, failed, warned) => {
    expect(gate(r, { failOn: "critical", fixableOnly: false, failOnUnscanned })).toMatchObject({ failed, warned });
  });

  it("names the rows without a usable scan, failing and warning apart", () => {
    expect(gate(failedScan, { failOn: "critical", fixableOnly: false }).reason).toBe(
      "failed: 1 image(s) without a usable scan (prod/web web: FAILED); warning: 1 image(s) ECR cannot scan (prod/web log: NOT_SCANNABLE)",
    );
    expect(gate(failedScan, { failOn: "none", fixableOnly: false, failOnUnscanned: "none" }).reason).toBe(
      "passed: fail-on is none, so findings do not fail the audit; warning: 1 image(s) without a usable scan " +
        "(prod/web web: FAILED); 1 image(s) ECR cannot scan (prod/web log: NOT_SCANNABLE)",
    );
  });
});
