import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/audit/render-json.js";
import { container, finding, report, service, twoServices } from "./fixtures.js";
import { check } from "./schema-check.js";

const schema = JSON.parse(readFileSync(new URL("../../src/audit/audit-report.schema.json", import.meta.url), "utf8"));

const ignoredAndExpired = report(
  [
    service("web", [
      container("web", [finding("CVE-1", "HIGH")], {
        ignored: [
          {
            finding: finding("CVE-2", "CRITICAL"),
            rule: { id: "CVE-2", reason: "accepted", expires: "2027-01-01", line: 3 },
          },
        ],
      }),
      container("sidecar", [], { image: "public.ecr.aws/x/y:1", status: "NOT_SCANNABLE", reason: "public" }),
    ]),
  ],
  {
    ignoreFile: ".cage-audit-ignore.yml",
    expiredIgnores: [{ entry: { id: "CVE-3", reason: "old", expires: "2020-01-01", line: 7 }, message: "expired" }],
  },
);
const broken = report([service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "no such service" } })]);

describe("renderJson", () => {
  it.each([
    ["two services with findings", twoServices()],
    ["ignored, expired and not scannable", ignoredAndExpired],
    ["a missing service", broken],
    ["nothing at all", report([])],
  ])("follows the committed schema: %s", (_, r) => {
    expect(check(schema, JSON.parse(renderJson(r)))).toEqual([]);
  });

  it("keeps canarycage's fields for a single service", () => {
    const json = JSON.parse(renderJson(report([twoServices().services[0]!])));
    expect(json).toMatchObject({
      region: "us-east-1",
      cluster: "prod",
      service: "web",
      summary: { critical_count: 1, high_count: 0, medium_count: 1, low_count: 0, info_count: 0, total_count: 2 },
      scanned_at: "2026-11-25T12:00:00.000Z",
    });
    expect(json.summary.highest_severity).toBe("CRITICAL");
    expect(json.vulns[0]).toMatchObject({
      cve: {
        name: "CVE-2024-0001",
        package_name: "openssl",
        package_version: "3.0.1",
        uri: "https://nvd.nist.gov/vuln/detail/CVE-2024-0001",
        severity: "CRITICAL",
        enhanced_analysis: null,
      },
      containers: ["web"],
    });
  });

  it("counts a vulnerability shared by two services once, and lists where it is", () => {
    const json = JSON.parse(renderJson(twoServices()));
    expect(json.summary).toMatchObject({
      critical_count: 1,
      medium_count: 1,
      low_count: 1,
      total_count: 3,
      fixable_count: 2,
    });
    expect([json.region, json.cluster, json.service]).toEqual(["us-east-1", "prod", null]);
    const shared = json.vulns.find((v: { cve: { name: string } }) => v.cve.name === "CVE-2024-0002");
    expect(shared.locations.map((l: { service: string }) => l.service)).toEqual(["web", "api"]);
    expect(json.services.map((s: { summary: { total_count: number } }) => s.summary.total_count)).toEqual([2, 2]);
  });

  it("prints vulns as null when there are none, as canarycage does, and NONE as the highest severity", () => {
    const json = JSON.parse(renderJson(report([service("web", [container("web", [])])])));
    expect(json.vulns).toBeNull();
    expect(json.summary).toMatchObject({ total_count: 0, highest_severity: "NONE" });
  });

  it("says UNKNOWN, per service and overall, when nothing was found but a row has no usable scan", () => {
    const json = JSON.parse(
      renderJson(
        report([
          service("web", [container("web", [])]),
          service("api", [container("api", [], { status: "FAILED", reason: "ECR reports the scan as FAILED" })]),
        ]),
      ),
    );
    expect(json.summary.highest_severity).toBe("UNKNOWN");
    expect(json.services.map((s: { summary: { highest_severity: string } }) => s.summary.highest_severity)).toEqual([
      "NONE",
      "UNKNOWN",
    ]);
  });

  it("keeps ignored findings out of the counts, but lists them with their reason", () => {
    const json = JSON.parse(renderJson(ignoredAndExpired));
    expect(json.summary).toMatchObject({ critical_count: 0, high_count: 1, ignored_count: 1 });
    expect(json.ignored_vulns[0].ignore).toEqual({
      id: "CVE-2",
      reason: "accepted",
      expires: "2027-01-01",
      package: null,
      image: null,
      file: ".cage-audit-ignore.yml",
      line: 3,
    });
    expect(json.expired_ignores[0]).toMatchObject({ id: "CVE-3", line: 7, message: "expired" });
    expect(json.services[0].containers[1]).toMatchObject({
      name: "sidecar",
      status: "NOT_SCANNABLE",
      reason: "public",
    });
  });
});

describe("the schema check", () => {
  it("notices a field the schema does not describe, and a missing one", () => {
    const json = JSON.parse(renderJson(twoServices()));
    json.extra = 1;
    delete json.summary.total_count;
    expect(check(schema, json)).toEqual(["$.summary: missing total_count", "$: unexpected extra"]);
  });
});
