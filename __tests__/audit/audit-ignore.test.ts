import { describe, expect, it } from "vitest";
import { audit } from "../../src/audit/audit.js";
import { gate } from "../../src/audit/gate.js";
import { parseIgnoreFile } from "../../src/audit/ignore-file.js";
import { renderJson } from "../../src/audit/render-json.js";
import { renderSarif } from "../../src/audit/render-sarif.js";
import { Timeline } from "../../src/engine/events.js";
import { ECR, row, scenario } from "./sim-world.js";

describe("ignore file and gate", () => {
  const IGNORE = `ignores:
  - id: CVE-2024-0001
    reason: openssl is not reachable from the network
    expires: 2026-12-31
  - id: CVE-2024-0002
    image: api
    reason: scoped to another image, so web keeps it
  - id: CVE-2024-0003
    reason: accepted last year
    expires: 2025-06-30
`;

  it("ignores accepted findings, counts them apart, and says when an entry has expired", async () => {
    const s = await scenario();
    const timeline = new Timeline();
    const ignore = parseIgnoreFile(IGNORE, ".cage-audit-ignore.yml");
    const report = await audit(
      s.settings(["web"], { ignore }),
      s.deps({
        events: timeline.sink,
      }),
    );
    const app = row(report, "web", "app");
    expect(app.ignored.map((i) => [i.finding.id, i.rule.line])).toEqual([["CVE-2024-0001", 2]]);
    expect(app.findings.map((f) => f.id)).toEqual(["CVE-2024-0002", "CVE-2024-0003", "CVE-2024-0004", "CVE-2024-0005"]);
    expect(report.expiredIgnores.map((e) => e.message)).toEqual([
      ".cage-audit-ignore.yml:8: the ignore entry for CVE-2024-0003 expired on 2025-06-30 and no longer ignores it " +
        "(reason given: accepted last year); fix the vulnerability, or renew 'expires' if the reason still holds",
    ]);
    expect(timeline.events).toContainEqual(expect.objectContaining({ type: "notice", level: "warning" }));
    expect(gate(report, { failOn: "critical", fixableOnly: false })).toEqual({
      failed: false,
      warned: true,
      reason:
        "passed: no finding at or above CRITICAL; warning: 2 image(s) ECR cannot scan (production/web log-router: NOT_SCANNABLE, production/web proxy: NOT_SCANNABLE)",
    });
    expect(gate(report, { failOn: "high", fixableOnly: false }).failed).toBe(true);
    const json = JSON.parse(renderJson(report));
    expect(json.summary).toMatchObject({
      critical_count: 0,
      high_count: 1,
      ignored_count: 1,
      highest_severity: "HIGH",
    });
  });

  it("renders SARIF at the line of the deploy context's task definition that declares each image", async () => {
    const s = await scenario();
    const text = JSON.stringify(
      { family: "web", containerDefinitions: [{ name: "app", image: `${ECR}/web:v1` }] },
      null,
      2,
    );
    const settings = s.settings(["web"], { source: "deploy-context" });
    settings.targets[0]!.taskDefinition = JSON.parse(text);
    const report = await audit(settings, s.deps());
    const sarif = JSON.parse(
      renderSarif(report, { taskDefinitionText: text, taskDefinitionFile: "task-definition.json" }),
    );
    const lines = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.region.startLine);
    expect(lines).toEqual([6, 6, 6, 6, 6]);
    expect(text.split("\n")[5]).toContain('"image"');
  });
});
