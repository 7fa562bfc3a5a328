import { describe, expect, it } from "vitest";
import { countsOf, highestOf, renderAudit, vulnsOf } from "../../src/report/audit-markdown.js";
import { auditReport, container, finding, service } from "./audit-fixtures.js";

describe("audit counting", () => {
  it("counts a vulnerability once, in its worst severity, fixable if any record says so", () => {
    const services = [
      service("web", [container("app", [finding("CVE-1", "LOW"), finding("CVE-2", "MEDIUM")])]),
      service("api", [container("app", [finding("CVE-1", "CRITICAL", { fixable: true })])]),
    ];
    const vulns = vulnsOf(services);
    expect(vulns.map((v) => [v.finding.id, v.severity, v.fixable, v.containers])).toEqual([
      ["CVE-1", "CRITICAL", true, ["web/app", "api/app"]],
      ["CVE-2", "MEDIUM", false, ["web/app"]],
    ]);
    expect(countsOf(vulns)).toMatchObject({ CRITICAL: 1, MEDIUM: 1, LOW: 0, fixable: 1, total: 2 });
    expect(highestOf(vulns)).toBe("CRITICAL");
    expect(highestOf([])).toBe("NONE");
  });

  it("shows a service that could not be read as a row with its reason, and expired ignores as warnings", () => {
    const report = {
      ...auditReport([
        service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "no service gone in prod" } }),
      ]),
      expiredIgnores: [{ message: "CVE-9 ignore expired on 2026-01-01: it counts again" }],
    };
    const md = renderAudit(report, { detail: false });
    expect(md).toContain("| prod/gone |  |  | SERVICE\\_NOT\\_FOUND: no service gone in prod |");
    expect(md).toContain("- ⚠ CVE-9 ignore expired on 2026-01-01: it counts again");
    // Nothing was read: never a green "No findings".
    expect(md.split("\n")[1]).toBe(
      "> The audit is incomplete: nothing could be read: the only row failed (reasons in the table). In what was read: no findings (scanned 2026-11-25T10:00:00.000Z).",
    );
  });

  it("says how much could not be read beside what was found", () => {
    const md = renderAudit(
      auditReport([
        service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "no service gone in prod" } }),
        service("web", [container("app", [finding("CVE-1", "LOW")])]),
      ]),
      { detail: false },
    );
    expect(md.split("\n").slice(0, 2)).toEqual([
      "> [!CAUTION]",
      "> The audit is incomplete: 1 of 2 rows could not be read (reasons in the table). In what was read: 1 LOW (scanned 2026-11-25T10:00:00.000Z).",
    ]);
  });

  it("gives every row read its verdict alone", () => {
    const md = renderAudit(auditReport([service("web", [container("app", [])])]), { detail: false });
    expect(md.startsWith("> [!TIP]\n> No findings (scanned 2026-11-25T10:00:00.000Z).")).toBe(true);
  });

  it("caps the detail and says where the rest is", () => {
    const findings = Array.from({ length: 30 }, (_, i) => finding(`CVE-${1000 + i}`, "HIGH"));
    const md = renderAudit(auditReport([service("web", [container("app", findings)])]), {
      detail: true,
      maxFindings: 10,
    });
    expect(md).toContain("<details><summary>HIGH (30)</summary>");
    expect(md).toContain("20 more HIGH findings are in the `audit-json` output.");
    expect(md.match(/^\| CVE-/gm)).toHaveLength(10);
  });
});
