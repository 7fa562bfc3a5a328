/** `--dry-run` against the demo world: preflight, verify and the plan, and not one mutating call. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { demoWorld } from "./sim-io.js";

const MUTATING = [
  "RegisterTaskDefinition",
  "RunTask",
  "StartTask",
  "UpdateService",
  "CreateService",
  "RegisterTargets",
  "StopTask",
];

function setup(variant?: string) {
  const w = demoWorld(variant);
  const run = (argv: string[]) => deployCommand(parseCommandLine(argv, w.io.env), w.io, w.ports);
  const operations = () => w.sim.journal.calls().map((c) => c.operation);
  return { ...w, run, operations };
}

describe("--dry-run", () => {
  it("plans a rollout of the demo: result planned, exit 0, no mutating call", async () => {
    const summary = join(mkdtempSync(join(tmpdir(), "cage-dry-")), "summary.md");
    const { sim, out, run, operations } = setup();
    const before = sim.world.snapshot();
    expect(await run(["rollout", "--region", "us-east-1", "--dry-run", "--summary", summary, "deploy-example"])).toBe(
      0,
    );
    const text = out.join("\n");
    expect(text).toContain("[OK]   service web exists");
    expect(text).toContain("would register: family web, 2 container(s)");
    expect(text).toContain("app: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2");
    expect(text).toContain(
      "target group: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09 (app:8080)",
    );
    expect(text).toContain("RunTask would send:");
    expect(text).toContain('"subnet-0a1b2c3d4e5f60001"');
    expect(text).toContain("UpdateService would send:");
    expect(text).toContain('"taskDefinition": "web:<next revision>"');
    expect(out.at(-1)).toMatch(/^Dry run: nothing was changed/);
    expect(sim.journal.mutations()).toEqual([]);
    expect(operations().filter((op) => MUTATING.includes(op))).toEqual([]);
    expect(operations()).toContain("DescribeServices");
    expect(sim.world.snapshot()).toEqual(before);
    const markdown = readFileSync(summary, "utf8");
    expect(markdown).toContain("### Rollout of web was planned (dry run: nothing was changed)");
    expect(markdown).toContain("### Verify passed");
    expect(markdown).toContain("UpdateService would send:");
  });

  it("shows the diff a rollout would make, in the log and the summary; an unchanged context says so", async () => {
    const summary = join(mkdtempSync(join(tmpdir(), "cage-dry-")), "summary.md");
    const { out, run } = setup();
    expect(await run(["rollout", "--region", "us-east-1", "--dry-run", "--summary", summary, "deploy-example"])).toBe(
      0,
    );
    const removed = out.findIndex((l) => l.startsWith("-") && l.includes("web:v1"));
    expect(removed).toBeGreaterThan(-1);
    expect(out[removed + 1]).toMatch(/^\+.*web:v2/);
    expect(out.indexOf("Plan (dry run: nothing was changed):")).toBeGreaterThan(removed);
    const markdown = readFileSync(summary, "utf8");
    expect(markdown).toContain("### What the deploy would change");
    expect(markdown).toMatch(/^\+.*web:v2/m);

    const same = setup();
    same.io.env.IMAGE_TAG = "v1";
    expect(await same.run(["rollout", "--region", "us-east-1", "--dry-run", "deploy-example"])).toBe(0);
    expect(same.out).toContain("Diff: no changes: the deploy context matches the live service.");
    expect(same.out.filter((l) => /^[-+]/.test(l) && l.includes("web:v"))).toEqual([]);
  });

  it("fails a dry run whose verify finds a problem, still without a mutating call", async () => {
    const { sim, err, out, run } = setup("no-free-ips");
    expect(await run(["rollout", "--region", "us-east-1", "--dry-run", "deploy-example"])).toBe(1);
    expect(out.join("\n")).toContain("[NG]   subnets have free addresses");
    expect(err.at(-1)).toMatch(/^Dry run: verify found 1 problem\(s\); nothing was changed/);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("plans an up: the CreateService it would send, verified for a service that does not exist yet", async () => {
    const { sim, out, run } = setup();
    expect(await run(["up", "--region", "us-east-1", "--service", "web-new", "--dry-run", "deploy-example"])).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("[OK]   service web-new does not exist yet");
    expect(text).toContain("CreateService would send:");
    expect(text).toContain('"serviceName": "web-new"');
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("fails an up of a service that exists", async () => {
    const { sim, out, run } = setup();
    expect(await run(["up", "--region", "us-east-1", "--dry-run", "deploy-example"])).toBe(1);
    expect(out.join("\n")).toContain("[NG]   service web does not exist yet");
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("plans a run: the RunTask with the command override", async () => {
    const { sim, out, run } = setup();
    expect(
      await run(["run", "--region", "us-east-1", "--dry-run", "deploy-example", "app", "--", "npm", "run", "migrate"]),
    ).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("RunTask would send:");
    expect(text).toContain('"migrate"');
    expect(sim.journal.mutations()).toEqual([]);
  });
});
