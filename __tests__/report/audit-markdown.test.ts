import { describe, expect, it } from "vitest";
import type { RowStatus } from "../../src/audit/index.js";
import { renderAudit } from "../../src/report/audit-markdown.js";
import { auditReport, container, finding, service } from "./audit-fixtures.js";

describe("the audit as markdown", () => {
  it("shows a service that could not be read as a row with its reason, and expired ignores as warnings", () => {
    const report = {
      ...auditReport([
        service("gone", [], { error: { status: "SERVICE_NOT_FOUND", reason: "no service gone in prod" } }),
      ]),
      expiredIgnores: [
        {
          entry: { id: "CVE-9", reason: "not reachable", expires: "2026-01-01", line: 2 },
          message: "CVE-9 ignore expired on 2026-01-01: it counts again",
        },
      ],
    };
    const md = renderAudit(report, { detail: false });
    expect(md).toContain("| prod/gone |  | service not found <sup>1</sup> | – | – | – | – | – | – | – |");
    expect(md).toContain("1. prod/gone: SERVICE\\_NOT\\_FOUND: no service gone in prod");
    expect(md).toContain("- ⚠ CVE-9 ignore expired on 2026-01-01: it counts again");
    // Nothing was read: never a green "No findings".
    expect(md.split("\n")[1]).toBe(
      "> The audit is incomplete: nothing could be read: the only row failed (reasons below the table). In what was read: no findings (scanned 2026-11-25T10:00:00.000Z).",
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
      "> The audit is incomplete: 1 of 2 rows could not be read (reasons below the table). In what was read: 1 LOW (scanned 2026-11-25T10:00:00.000Z).",
    ]);
  });

  it("gives every row read its verdict alone", () => {
    const md = renderAudit(auditReport([service("web", [container("app", [])])]), { detail: false });
    expect(md.startsWith("> [!TIP]\n> No findings (scanned 2026-11-25T10:00:00.000Z).")).toBe(true);
  });

  it.each<[RowStatus, string, string]>([
    ["FAILED", "CAUTION", "The audit is incomplete: 1 of 2 rows has no usable scan"],
    ["NO_SCAN", "CAUTION", "The audit is incomplete: 1 of 2 rows has no usable scan"],
    ["NOT_SCANNABLE", "WARNING", "Not every image could be scanned: 1 of 2 rows cannot be scanned by ECR"],
  ])("never gives a green 'No findings' beside a %s image, and shows – in its counts", (status, alert, text) => {
    const md = renderAudit(
      auditReport([
        service("web", [container("app", []), container("sidecar", [], { status, reason: `why ${status}` })]),
      ]),
      { detail: false },
    );
    expect(md.split("\n").slice(0, 2)).toEqual([
      `> [!${alert}]`,
      `> ${text} (reasons below the table). In what was read: no findings (scanned 2026-11-25T10:00:00.000Z).`,
    ]);
    expect(md).toContain("| prod/web · app | <code>app:v43</code> | scanned | 0 | 0 | 0 | 0 | 0 | 0 | 0 |");
    expect(md).toMatch(
      /\| prod\/web · sidecar \| <code>sidecar:v43<\/code> \| [a-z ]+ <sup>1<\/sup> \| – \| – \| – \| – \| – \| – \| – \|/,
    );
    expect(md).toContain(`1. prod/web sidecar: ${status.replace(/_/g, "\\_")}: why ${status.replace(/_/g, "\\_")}`);
  });

  it("keeps every fact of the short table: full image, digests, and what Other holds", () => {
    const md = renderAudit(
      auditReport([
        service("web", [
          container(
            "app",
            [finding("CVE-1", "INFORMATIONAL"), finding("CVE-2", "UNDEFINED"), finding("CVE-3", "UNDEFINED")],
            {
              image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:v43",
              digest: `sha256:${"a".repeat(64)}`,
              indexDigest: `sha256:${"b".repeat(64)}`,
              architecture: "arm64",
            },
          ),
        ]),
      ]),
      { detail: false },
    );
    expect(md).toContain("| prod/web · app | <code>app:v43</code> | scanned | 0 | 0 | 0 | 0 | 3 | 0 | 0 |");
    expect(md).toContain(
      "Other counts INFORMATIONAL and UNDEFINED (not rated yet) findings: prod/web app: 1 INFORMATIONAL, 2 UNDEFINED.",
    );
    expect(md).toContain(
      `- prod/web app: <code>123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app:v43</code> <code>sha256:${"a".repeat(64)}</code> (the arm64 image of index <code>sha256:${"b".repeat(64)}</code>)`,
    );
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
