/**
 * canary-metrics through the real CLI entry against the simulator over HTTP: a bad file is refused before any AWS
 * call, naming the file, the path in it and the fix; text from the file reaches the log and summary inert.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { VirtualClock } from "../../src/sim/clock.js";
import { type RunningSimulator, serve } from "../../src/sim/serve.js";
import { World } from "../../src/sim/world/index.js";
import { setEnv, TEST_CREDENTIALS } from "../fixtures/env.js";

let sim: RunningSimulator;
const work = mkdtempSync(join(tmpdir(), "cage-metrics-"));
let restoreEnv = () => {};
const GOOD = readFileSync("deploy-example/canary-metrics.yml", "utf8");

beforeAll(async () => {
  restoreEnv = setEnv(TEST_CREDENTIALS);
  sim = await serve({
    worldFile: "deploy-example/world.json",
    loadWorld: (json, source, clock) => World.fromJson(json, source, { clock, variant: "soak-metric" }),
    log: () => {},
  });
});

afterAll(async () => {
  await sim.close();
  rmSync(work, { recursive: true, force: true });
  restoreEnv();
});

/** `cage rollout` against the simulator over HTTP; with `demo`, `cage demo` on its in-process soak-metric world. */
async function rollout(file: string, text: string, extra: string[] = ["--canary-soak", "3m"], demo = false) {
  const path = join(work, file);
  writeFileSync(path, text);
  const summary = join(work, `${file}.md`);
  const out: string[] = [];
  const before = sim.sim.journal.calls().length;
  const argv = demo
    ? ["demo", "--variant", "soak-metric"]
    : ["rollout", "deploy-example", "--region", "us-east-1", "--endpoint-url", sim.url];
  const code = await runCli([...argv, "--summary", summary, "--canary-metrics", path, ...extra], {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    env: { IMAGE_TAG: "v2" },
    clock: new VirtualClock(),
  });
  const calls = sim.sim.journal.calls().slice(before);
  let markdown = "";
  try {
    markdown = readFileSync(summary, "utf8");
  } catch {
    markdown = "";
  }
  return { code, text: out.join("\n"), lines: out.flatMap((l) => l.split("\n")), calls, path, markdown };
}

/** An escape, a control character or a bidi override: what could disguise or act in a terminal or the runner. */
const hidden = (line: string) => [...line].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === "\u202e");

describe("cage rollout --canary-metrics", () => {
  it.each([
    ["not YAML", "metrics: [", /line 1.*not valid YAML or JSON/],
    ["no metrics list", "checks: []", /metrics: the file has no 'metrics' list\. Fix: write:/],
    [
      "a bad interval",
      GOOD.replace("interval: 1m", "interval: soon"),
      /metrics\[0\]\.interval \(line \d+\): got soon\. Fix: give a duration/,
    ],
    [
      "a condition that is code",
      GOOD.replace("result > 0.01", "process.exit(1)"),
      /metrics\[0\]\.failure-condition \(line \d+\): expected 'result <op> number'.*Fix: write result > 0\.01/,
    ],
    [
      "a negative failure-limit",
      GOOD.replace("failure-limit: 1", "failure-limit: -1"),
      /metrics\[0\]\.failure-limit \(line \d+\): got -1\. Fix: give a whole number from 0/,
    ],
    [
      "a query without Stat",
      GOOD.replace("Stat: Average", "Unit: Count"),
      /metrics\[0\]\.queries\[0\]\.MetricStat\.Stat: got undefined\. Fix: name a statistic/,
    ],
    [
      "two queries returning data",
      GOOD.replace("      - Id: errors", "      - Id: other\n        Expression: errors * 2\n      - Id: errors"),
      /metrics\[0\]\.queries \(line \d+\): 2 queries return data\. Fix: set ReturnData: false/,
    ],
  ])("%s: refused naming the file, the path and the fix, before any AWS call", async (_name, text, where) => {
    const r = await rollout("bad.yml", text);
    expect(r.code).toBe(2);
    expect(r.text).toContain(`--canary-metrics names '${r.path}', which is not a usable metric-check file`);
    expect(r.text).toMatch(where);
    expect(r.calls).toEqual([]);
  });

  it("a missing file, or a file without a soak, is refused before any AWS call", async () => {
    const missing = await runCli(
      [
        "rollout",
        "deploy-example",
        "--region",
        "us-east-1",
        "--endpoint-url",
        sim.url,
        "--canary-soak",
        "1m",
        "--canary-metrics",
        join(work, "nope.yml"),
      ],
      {
        out: () => {},
        err: () => {},
        env: { IMAGE_TAG: "v2" },
        clock: new VirtualClock(),
      },
    );
    expect(missing).toBe(2);
    const r = await rollout("no-soak.yml", GOOD, []);
    expect(r.code).toBe(2);
    expect(r.text).toContain("--canary-metrics needs a soak to measure in: set --canary-soak to a duration like 5m");
    expect(r.calls).toEqual([]);
  });

  it("the soak-metric world: the check fails the canary, logged as the comparisons it made, with a summary table", async () => {
    const r = await rollout("good.yml", GOOD, undefined, true);
    expect(r.code, r.text).toBe(1);
    expect(r.lines.filter((l) => l.includes("metric error rate"))).toEqual([
      expect.stringMatching(/\] metric error rate 0\.05 > 0\.01 \(1 of 2\)$/),
      expect.stringMatching(/\] metric error rate 0\.05 > 0\.01 \(2 of 2\)$/),
    ]);
    expect(r.markdown).toMatch(
      /^> Metric check 'error rate' failed during the canary soak: 0\.05 &gt; 0\.01 \\\(2 of 2\\\)/m,
    );
    expect(r.markdown).toContain("| Time | Metric | Comparison | Outcome |");
    expect(r.markdown).toMatch(/\| error rate \| 0\.05 &gt; 0\.01 \| ✖ failed \(2 of 2\) \|/);
    expect(r.text).toContain("The service was not changed.");
  });

  it("hostile text in the file reaches the log and the summary inert", async () => {
    const name = "::error title=pwned::x <img src=x onerror=alert(1)> @team #1 https://evil.example/\u202e";
    const hostile = GOOD.replace("name: error rate", `name: ${JSON.stringify(name)}`);
    const r = await rollout("hostile.yml", hostile, undefined, true);
    expect(r.code).toBe(1);
    expect(r.lines.some((l) => l.includes("pwned"))).toBe(true);
    for (const line of r.lines) {
      expect(line).not.toMatch(/^\s*::/);
      expect(hidden(line)).toBe(false);
    }
    expect(r.markdown).toContain("pwned");
    expect(r.markdown).not.toMatch(/<img|https:\/\/evil|@team|\u202e/);

    const badKey = await rollout(
      "hostile-key.yml",
      GOOD.replace("interval: 1m", 'interval: 1m\n    "\\e[31m::warning::k": 1'),
    );
    expect(badKey.code).toBe(2);
    for (const line of badKey.lines) {
      expect(line).not.toMatch(/^\s*::/);
      expect(hidden(line)).toBe(false);
    }
    expect(badKey.text).toMatch(/unknown key/);
  });
});
