import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMetricsFile } from "../../src/inputs/metrics-file.js";

/** The YAML example of the README's canary-metrics section. */
function readmeExample(): string {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("### Metric checks during the soak"));
  return /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
}

describe("the canary-metrics file", () => {
  it("the README's example is a valid file: metric math over two hidden queries", () => {
    const [check, ...rest] = parseMetricsFile(readmeExample(), "README.md", "'canary-metrics'");
    expect(rest).toEqual([]);
    expect(check).toMatchObject({ name: "error rate", intervalMs: 60_000, failureLimit: 1 });
    expect(check?.queries.map((q) => [q.Id, q.ReturnData])).toEqual([
      ["rate", undefined],
      ["errors", false],
      ["requests", false],
    ]);
  });

  it("JSON works as well, and every problem is listed at once with its path", () => {
    const json = JSON.stringify({
      metrics: [{ name: "a", interval: "0s", "failure-limit": 1.5, queries: [{ Id: "Bad", Expression: "x" }] }],
    });
    let message = "";
    try {
      parseMetricsFile(json, "checks.json", "'canary-metrics'");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^'canary-metrics' names 'checks\.json', which is not a usable metric-check file:\n/);
    for (const path of ["metrics[0].interval", "metrics[0].failure-limit", "metrics[0].queries[0].Id"])
      expect(message).toContain(`- ${path}`);
    expect(message).toMatch(/- metrics\[0\] \(line 1\): it has no condition\. Fix: add failure-condition/);
  });

  it.each([
    ["a duplicate key", "metrics:\n  - name: a\n    name: b\n", /not valid YAML or JSON/],
    [
      "two checks with one name",
      `metrics:\n${"  - { name: a, interval: 1m, failure-condition: result > 1, queries: [{ Id: q, Expression: x + 1 }] }\n".repeat(2)}`,
      /two checks are named 'a'/,
    ],
    [
      "a name over two lines",
      'metrics:\n  - { name: "a\\nb", interval: 1m, failure-condition: result > 1, queries: [{ Id: q, Expression: x }] }\n',
      /metrics\[0\]\.name.*got a\\nb/,
    ],
  ])("%s is refused", (_name, text, expected) => {
    expect(() => parseMetricsFile(text, "m.yml", "--canary-metrics")).toThrow(expected);
  });
});
