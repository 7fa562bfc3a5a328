import { describe, expect, it } from "vitest";
import { imageLines } from "../../src/audit/locations.js";
import { renderSarif, SARIF_MAX_RESULTS } from "../../src/audit/render-sarif.js";
import type { Finding } from "../../src/audit/types.js";
import { container, finding, REGISTRY, report, service, twoServices } from "./fixtures.js";
import { sarifProblems } from "./sarif-constraints.js";

const TASK_DEFINITION = `{
  "family": "web",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "${REGISTRY}/web:v1",
      "essential": true
    },
    {
      "image": "${REGISTRY}/api:v1",
      "name": "api"
    }
  ]
}
`;

describe("imageLines", () => {
  it("maps each container's name to the line of its image, whatever the key order", () => {
    expect([...imageLines(TASK_DEFINITION)]).toEqual([
      ["web", 6],
      ["api", 10],
    ]);
  });

  it.each(["", "{", '{"a": tru}', "not json", '{"containerDefinitions": {}}', '{"containerDefinitions": [null, 1]}'])(
    "gives nothing for %j",
    (text) => {
      expect(imageLines(text).size).toBe(0);
    },
  );
});

describe("renderSarif", () => {
  const sarifOf = (text: string) => JSON.parse(text);

  it("writes SARIF 2.1.0 with one result per finding, at the line declaring the image", () => {
    const r = report([
      service("web", [
        container("web", [finding("CVE-1", "CRITICAL", "2", 9.8)]),
        container("api", [finding("CVE-1", "CRITICAL", "2", 9.8), finding("CVE-2", "LOW")]),
      ]),
    ]);
    const sarif = sarifOf(
      renderSarif(r, { taskDefinitionText: TASK_DEFINITION, taskDefinitionFile: "deploy/task-definition.json" }),
    );
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(["CVE-1", "CVE-2"]);
    expect(run.tool.driver.rules[0].properties["security-severity"]).toBe("9.8");
    const placed = run.results.map((res: any) => [
      res.ruleId,
      res.ruleIndex,
      res.level,
      res.locations[0].physicalLocation.artifactLocation.uri,
      res.locations[0].physicalLocation.region.startLine,
    ]);
    expect(placed).toEqual([
      ["CVE-1", 0, "error", "deploy/task-definition.json", 6],
      ["CVE-1", 0, "error", "deploy/task-definition.json", 10],
      ["CVE-2", 1, "note", "deploy/task-definition.json", 10],
    ]);
    expect(run.results[0].message.text).toContain("openssl 3.0.1 (fixed in 2)");
  });

  it("locates each service at its own deploy context's file", () => {
    const r = twoServices();
    r.services[0]!.taskDefinitionFile = "web/task-definition.json";
    r.services[1]!.taskDefinitionFile = "api/task-definition.json";
    const sarif = sarifOf(
      renderSarif(r, {
        files: { "web/task-definition.json": TASK_DEFINITION, "api/task-definition.json": TASK_DEFINITION },
      }),
    );
    const where = sarif.runs[0].results.map((res: any) => res.locations[0].physicalLocation);
    expect(where.map((w: any) => `${w.artifactLocation.uri}:${w.region.startLine}`)).toEqual([
      "web/task-definition.json:6",
      "web/task-definition.json:6",
      "api/task-definition.json:10",
      "api/task-definition.json:10",
    ]);
  });

  it("falls back to the image name when no deploy context is known", () => {
    const sarif = sarifOf(renderSarif(twoServices()));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: `${REGISTRY}/web` },
      region: { startLine: 1 },
    });
  });

  it.each([
    ["localhost:5000/app:dev", "localhost:5000/app"],
    [`${REGISTRY}/team/web@sha256:${"c".repeat(64)}`, `${REGISTRY}/team/web`],
    ["nginx", "nginx"],
  ])("names %s as %s when no file is known", (image, uri) => {
    const r = report([service("web", [container("web", [finding("CVE-1", "LOW")], { image })])]);
    expect(sarifOf(renderSarif(r)).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(uri);
  });

  it("reports ignored findings as suppressed, with the reason", () => {
    const c = container("web", [], {
      ignored: [{ finding: finding("CVE-2", "HIGH"), rule: { id: "CVE-2", reason: "not reachable", line: 1 } }],
    });
    const result = sarifOf(renderSarif(report([service("web", [c])]))).runs[0].results[0];
    expect(result.suppressions).toEqual([{ kind: "external", justification: "not reachable" }]);
  });

  it("writes the most severe results only, beyond the most code scanning accepts, and says so", () => {
    const c = container(
      "web",
      [
        finding("CVE-LOW", "LOW"),
        finding("CVE-HIGH-5", "HIGH", undefined, 7.5),
        finding("CVE-CRIT", "CRITICAL"),
        finding("CVE-HIGH-8", "HIGH", undefined, 8.8),
        finding("CVE-MED", "MEDIUM"),
      ],
      {
        ignored: [
          { finding: finding("CVE-IGN", "CRITICAL"), rule: { id: "CVE-IGN", reason: "not reachable", line: 1 } },
        ],
      },
    );
    const told: [number, number][] = [];
    const sarif = sarifOf(
      renderSarif(report([service("web", [c])]), { maxResults: 3, onTruncated: (w, t) => told.push([w, t]) }),
    );
    const run = sarif.runs[0];
    // The three most urgent, in the report's order; an ignored CRITICAL comes after every open finding.
    expect(run.results.map((r: { ruleId: string }) => r.ruleId)).toEqual(["CVE-HIGH-5", "CVE-CRIT", "CVE-HIGH-8"]);
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["CVE-HIGH-5", "CVE-CRIT", "CVE-HIGH-8"]);
    expect(run.results.map((r: { ruleIndex: number }) => r.ruleIndex)).toEqual([0, 1, 2]);
    expect(run.properties.omittedResults).toBe(3);
    expect(told).toEqual([[3, 6]]);
  });

  it("keeps every result, and tells nothing, up to GitHub's limit", () => {
    expect(SARIF_MAX_RESULTS).toBe(25_000);
    const told: number[] = [];
    const sarif = sarifOf(renderSarif(twoServices(), { maxResults: 4, onTruncated: (w) => told.push(w) }));
    expect(sarif.runs[0].results).toHaveLength(4);
    expect(sarif.runs[0].properties).toBeUndefined();
    expect(told).toEqual([]);
  });

  it("has no results, and stays valid, when nothing was found", () => {
    const sarif = sarifOf(renderSarif(report([service("web", [container("web", [])])])));
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].tool.driver.rules).toEqual([]);
  });

  it.each<[string, Finding, string]>([
    ["a fixed version", finding("CVE-1", "HIGH", "3.0.2"), "openssl 3.0.1 (fixed in 3.0.2),"],
    ["basic scanning without a fixed version", { ...finding("CVE-1", "HIGH"), fixUnknown: true }, "openssl 3.0.1,"],
    [
      "enhanced scanning saying no fix",
      { ...finding("CVE-1", "HIGH"), enhanced: { fixAvailable: "NO" } },
      "openssl 3.0.1 (no fix yet),",
    ],
  ])("says what the scan knows about a fix: %s", (_, f, text) => {
    const result = sarifOf(renderSarif(report([service("web", [container("web", [f])])]))).runs[0].results[0];
    expect(result.message.text).toContain(`in ${text} image`);
  });

  it("never claims there is no fix when basic scanning cannot know", () => {
    const basic = { ...finding("CVE-1", "HIGH"), fixUnknown: true };
    expect(renderSarif(report([service("web", [container("web", [basic])])]))).not.toContain("no fix");
  });
});

describe("code scanning's constraints", () => {
  const valid = () =>
    JSON.parse(
      renderSarif(report([service("web", [container("web", [finding("CVE-1", "HIGH", "2", 7.5)])])]), {
        taskDefinitionText: TASK_DEFINITION,
        taskDefinitionFile: "deploy/task-definition.json",
      }),
    );

  it.each<[string, (sarif: any) => void, RegExp]>([
    ["another version", (s) => (s.version = "2.0.0"), /\$\.version/],
    ["no runs", (s) => (s.runs = []), /\$\.runs: none/],
    ["a result without a rule id", (s) => delete s.runs[0].results[0].ruleId, /ruleId: is required/],
    ["a ruleIndex naming another rule", (s) => (s.runs[0].results[0].ruleIndex = 3), /ruleIndex: 3/],
    ["line 0", (s) => (s.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0), /startLine: 0/],
    [
      "a path with a space",
      (s) => (s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "a b"),
      /uri: a b/,
    ],
    ["an unknown level", (s) => (s.runs[0].results[0].level = "fatal"), /level: fatal/],
    [
      "a score above 10",
      (s) => (s.runs[0].tool.driver.rules[0].properties["security-severity"] = "11.0"),
      /security-severity/,
    ],
    ["25,001 results", (s) => (s.runs[0].results = Array(25_001).fill(s.runs[0].results[0])), /more than 25,000/],
    ["an empty message", (s) => (s.runs[0].results[0].message = { text: "" }), /message: a message needs/],
  ])("catches %s", (_, spoil, problem) => {
    const sarif = valid();
    expect(sarifProblems(sarif)).toEqual([]);
    spoil(sarif);
    expect(sarifProblems(sarif).join("\n")).toMatch(problem);
  });

  it.each<[string, () => string]>([
    ["at a deploy context's file", () => JSON.stringify(valid())],
    ["at image names, with no file known", () => renderSarif(twoServices())],
    ["with nothing found", () => renderSarif(report([service("web", [container("web", [])])]))],
    [
      "with a suppressed finding and a cut to the most severe",
      () => {
        const c = container("web", [finding("CVE-1", "LOW"), finding("CVE-2", "CRITICAL")], {
          ignored: [{ finding: finding("CVE-3", "HIGH"), rule: { id: "CVE-3", reason: "not reachable", line: 1 } }],
        });
        return renderSarif(report([service("web", [c])]), { maxResults: 2 });
      },
    ],
  ])("holds for the SARIF written %s", (_, render) => {
    expect(sarifProblems(JSON.parse(render()))).toEqual([]);
  });
});
