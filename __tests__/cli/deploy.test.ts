import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { canaryGroup, startedByFor } from "../../src/engine/labels.js";
import { FIELDS } from "../../src/inputs/fields.js";
import { demoWorld } from "./sim-io.js";

function setup(variant?: string) {
  const { sim, out, err, io, ports } = demoWorld(variant);
  const run = (argv: string[]) => deployCommand(parseCommandLine(argv, io.env), io, ports);
  const service = async () => {
    const out = await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] });
    return out.services?.[0];
  };
  return { sim, out, err, run, service };
}

describe("cage rollout", () => {
  it("rolls the example service out to the new revision and logs each step with elapsed time", async () => {
    const { out, run, service } = setup();
    const before = (await service())?.taskDefinition;
    expect(await run(["rollout", "--region", "us-east-1", "deploy-example"])).toBe(0);
    const after = await service();
    expect(after?.taskDefinition).not.toBe(before);
    expect(after?.taskDefinition).toMatch(/task-definition\/web:\d+$/);
    expect(out.some((l) => /^\[\s*\d.*\] .*succeeded/.test(l))).toBe(true);
  });

  it("leaves the service untouched and exits 1 when the canary's essential container exits", async () => {
    const { err, run, service } = setup("crash");
    const before = await service();
    expect(await run(["rollout", "--region", "us-east-1", "deploy-example"])).toBe(1);
    const after = await service();
    expect(after?.taskDefinition).toBe(before?.taskDefinition);
    expect(after?.desiredCount).toBe(before?.desiredCount);
    expect(err.join("\n")).toMatch(/failed/);
  });

  it("prints the result and the timeline as JSON with --json", async () => {
    const { out, run } = setup();
    expect(await run(["rollout", "--region", "us-east-1", "--json", "deploy-example"])).toBe(0);
    const parsed = JSON.parse(out.join("\n"));
    expect(parsed.result).toBe("succeeded");
    expect(parsed.timeline.at(-1)).toMatchObject({ type: "verdict", result: "succeeded" });
    expect(parsed.timeline[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe("cage cleanup", () => {
  /** A canary of `runId` left running, as a killed rollout leaves it. */
  async function leftCanary(sim: ReturnType<typeof setup>["sim"], runId: string): Promise<string> {
    const out = await sim.ports("us-east-1").ecs.runTask({
      cluster: "production",
      taskDefinition: "web:1",
      launchType: "FARGATE",
      group: canaryGroup("web"),
      startedBy: startedByFor(runId),
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001"], securityGroups: ["sg-0123456789abcdef0"] },
      },
    });
    return out.tasks?.[0]?.taskArn as string;
  }
  const statusOf = async (sim: ReturnType<typeof setup>["sim"], arn: string) =>
    (await sim.ports("us-east-1").ecs.describeTasks({ cluster: "production", tasks: [arn] })).tasks?.[0]?.desiredStatus;

  it("stops only the canary of --run-id, from a folder with service.json only, and writes --summary", async () => {
    const { sim, err, run } = setup();
    const mine = await leftCanary(sim, "run-7");
    const other = await leftCanary(sim, "run-8");
    const dir = mkdtempSync(join(tmpdir(), "cage-cleanup-"));
    copyFileSync("deploy-example/service.json", join(dir, "service.json"));
    const summary = join(dir, "summary.md");
    const code = await run(["cleanup", "--region", "us-east-1", "--run-id", "run-7", "--summary", summary, dir]);
    expect(code, err.join("\n")).toBe(0);
    expect(await statusOf(sim, mine)).toBe("STOPPED");
    expect(await statusOf(sim, other)).toBe("RUNNING");
    const md = readFileSync(summary, "utf8");
    expect(md).toMatch(/^### Cleanup of web succeeded\n\n> \[!TIP\]\n> Cleaned up 1 canary task/);
    expect(md).toContain(mine.split("/").pop());
    expect(md).not.toContain("What was deployed");
  });

  it("reads --run-id from the command line only: GITHUB_RUN_ID does not narrow it", () => {
    const args = parseCommandLine(["cleanup", "--region", "us-east-1", "deploy-example"], { GITHUB_RUN_ID: "42" });
    expect(args.values.get(FIELDS.runId)).toBeUndefined();
    expect(parseCommandLine(["cleanup", "--run-id", "42"], {}).values.get(FIELDS.runId)).toBe("42");
  });
});

describe("cage run", () => {
  it("logs a failed exit as a failed phase, and no container health once the task stopped", async () => {
    const { sim, out, err, run } = setup("crash");
    // Slow DescribeTasks answers make one look see the task stopped with its container's last health.
    sim.faults.add([{ service: "ecs", operation: "DescribeTasks", effect: "latency", latencyMs: 30_000 }]);
    expect(await run(["run", "--region", "us-east-1", "deploy-example", "app", "--", "npm", "run", "migrate"])).toBe(1);
    const log = [...out, ...err];
    const stopped = log.findIndex((l) => /task \w+ is STOPPED; .*container app exited 1/.test(l));
    expect(stopped).toBeGreaterThan(0);
    expect(log.slice(stopped).filter((l) => /container app of task \w+ is/.test(l))).toEqual([]);
    expect(log.some((l) => /✘ run-task failed: Container 'app' exited with code 1/.test(l))).toBe(true);
    expect(log.some((l) => /run-task ok/.test(l))).toBe(false);
  });
});
