import { describe, expect, it } from "vitest";
import { renderDetail, renderTable } from "../../src/audit/render-text.js";
import { container, finding, report, service, twoServices } from "./fixtures.js";

describe("renderTable", () => {
  it("prints the table even when nothing was found", () => {
    const text = renderTable(report([service("web", [container("web", [])])]));
    expect(text.split("\n").slice(0, 2)).toEqual([
      "SERVICE   CONTAINER  IMAGE            STATUS    CRITICAL  HIGH  MEDIUM  LOW  INFO  UNDEF  FIXABLE  IGNORED",
      "prod/web  web        web:v1@a1a1a1a1  COMPLETE  0         0     0       0    0     0      0        0",
    ]);
    expect(text).toContain("Total: no vulnerabilities found");
  });

  it("never says 'no vulnerabilities found' alone when rows could not be read", () => {
    const gone = service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "service gone does not exist" } });
    const denied = container("api", [], { status: "ACCESS_DENIED", reason: "denied" });
    expect(renderTable(report([gone]))).toContain(
      "Total: nothing could be read: the only row failed (reasons above); in what was read, no vulnerabilities found",
    );
    expect(
      renderTable(report([gone, service("web", [container("web", [finding("CVE-1", "HIGH")]), denied])])),
    ).toContain(
      "Total: 2 of 3 rows could not be read (reasons above); in what was read, 1 unique vulnerability (1 HIGH), 0 fixable",
    );
  });

  it("prints one row per container per service with counts per severity and fixable", () => {
    const lines = renderTable(twoServices()).split("\n");
    expect(lines[1]).toBe(
      "prod/web  web        web:v1@a1a1a1a1  COMPLETE  1         0     1       0    0     0      1        0",
    );
    expect(lines[2]).toBe(
      "prod/api  api        api:v1@b2b2b2b2  COMPLETE  0         0     1       1    0     0      1        0",
    );
    expect(lines).toContain("Total: 3 unique vulnerabilities (1 CRITICAL, 1 MEDIUM, 1 LOW), 2 fixable");
  });

  it("shows errors as rows with their reasons, never hiding the other services", () => {
    const text = renderTable(
      report([
        service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "service gone does not exist" } }),
        service("web", [
          container("web", [finding("CVE-1", "HIGH")]),
          container("proxy", [], {
            image: "nginx:1.27",
            registryId: undefined,
            status: "NOT_SCANNABLE",
            reason: "Docker Hub",
          }),
        ]),
      ]),
    );
    const lines = text.split("\n");
    expect(lines[1]).toMatch(/^prod\/gone\s+-\s+-\s+SERVICE_NOT_FOUND\s+-\s+-/);
    expect(lines[2]).toMatch(/^prod\/web\s+web\s+web:v1@a1a1a1a1\s+COMPLETE\s+0\s+1\s/);
    expect(lines[3]).toMatch(/^prod\/web\s+proxy\s+nginx:1\.27\s+NOT_SCANNABLE\s+-\s+-/);
    expect(text).toContain("prod/gone: SERVICE_NOT_FOUND: service gone does not exist");
    expect(text).toContain("prod/web proxy: NOT_SCANNABLE: Docker Hub");
  });

  it("counts untriaged findings in their own column and says how many were ignored", () => {
    const c = container("web", [finding("CVE-1", "UNDEFINED")], {
      ignored: [{ finding: finding("CVE-2", "HIGH"), rule: { id: "CVE-2", reason: "r", line: 1 } }],
    });
    const text = renderTable(report([service("web", [c])]));
    expect(text.split("\n")[1]).toMatch(/COMPLETE\s+0\s+0\s+0\s+0\s+0\s+1\s+0\s+1$/);
    expect(text).toContain("Total: 1 unique vulnerability (1 UNDEFINED), 0 fixable, 1 ignored");
  });

  it("warns about expired ignore entries", () => {
    const r = report([], { expiredIgnores: [{ entry: { id: "CVE-1", reason: "r", line: 2 }, message: "it expired" }] });
    expect(renderTable(r)).toContain("warning: it expired");
  });
});

describe("renderDetail", () => {
  it("groups by severity, worst first, with package, versions, CVSS, link and containers", () => {
    expect(renderDetail(twoServices())).toBe(
      [
        "=== CRITICAL (1) ===",
        "CVE-2024-0001  CVSS 9.8  https://nvd.nist.gov/vuln/detail/CVE-2024-0001",
        "  openssl 3.0.1 → fixed in 3.0.2",
        "  in: prod/web web",
        "  CVE-2024-0001 lets an attacker do things. More words follow.",
        "",
        "=== MEDIUM (1) ===",
        "CVE-2024-0002  CVSS 5.3  https://nvd.nist.gov/vuln/detail/CVE-2024-0002",
        "  openssl 3.0.1 → no fix yet",
        "  in: prod/web web, prod/api api",
        "  CVE-2024-0002 lets an attacker do things. More words follow.",
        "",
        "=== LOW (1) ===",
        "CVE-2024-0003  https://nvd.nist.gov/vuln/detail/CVE-2024-0003",
        "  openssl 3.0.1 → fixed in 1.1",
        "  in: prod/api api",
        "  CVE-2024-0003 lets an attacker do things. More words follow.",
        "",
      ].join("\n"),
    );
  });

  it("lists ignored findings apart, with the reason and expiry", () => {
    const c = container("web", [], {
      ignored: [
        {
          finding: finding("CVE-2", "HIGH"),
          rule: { id: "CVE-2", reason: "not reachable", expires: "2027-01-31", line: 1 },
        },
      ],
    });
    const text = renderDetail(report([service("web", [c])]));
    expect(text).toContain("No vulnerabilities found.");
    expect(text).toContain("=== IGNORED (1) ===\nCVE-2  https://nvd.nist.gov/vuln/detail/CVE-2");
    expect(text).toContain("  ignored (HIGH, until 2027-01-31): not reachable");
  });
});
