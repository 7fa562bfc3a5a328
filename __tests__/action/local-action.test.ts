/**
 * GitHub's own @github/local-action runs the action as its TypeScript template is run: `run()` of src/main.ts, with
 * local-action's stub of @actions/core (inputs from the .env file and action.yml's defaults, outputs it prints).
 * A rollout of deploy-example against the simulator over HTTP; the outcome is read back from the simulator.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../src/sim/serve.js";
import { World } from "../../src/sim/world/index.js";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await serve({
    worldFile: "deploy-example/world.json",
    loadWorld: (json, source, clock) => World.fromJson(json, source, { clock }),
    timeScale: 300,
    log: () => {},
  });
});

afterAll(async () => {
  await sim?.close();
});

/** `npx @github/local-action run . src/main.ts <env file>`, with only what a developer's shell would have. */
function localAction(envFile: string): Promise<{ code: number | null; log: string }> {
  const bin = join("node_modules", ".bin", "local-action");
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["run", ".", "src/main.ts", envFile], { env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (c: Buffer) => {
      log += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      log += c.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, log }));
  });
}

/** What local-action prints of an output: `::set-output name=NAME::VALUE` (its stub's own log line). */
function outputOf(log: string, name: string): string | undefined {
  return new RegExp(`::set-output name=${name}::(.*)$`, "m").exec(log)?.[1];
}

describe("@github/local-action", () => {
  it("runs src/main.ts's run() for a rollout of deploy-example, and the simulator shows it done", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-local-action-"));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const envFile = join(dir, ".env");
    writeFileSync(
      envFile,
      [
        "INPUT_COMMAND=rollout",
        "INPUT_DEPLOY-CONTEXT=deploy-example",
        "INPUT_REGION=us-east-1",
        "INPUT_CANARY-TASK-IDLE-DURATION=0s",
        "IMAGE_TAG=v2",
        "GITHUB_RUN_ID=4242",
        "AWS_ACCESS_KEY_ID=test",
        "AWS_SECRET_ACCESS_KEY=test",
        `AWS_ENDPOINT_URL=${sim.url}`,
        `GITHUB_STEP_SUMMARY=${summary}`,
        `RUNNER_TEMP=${dir}`,
      ].join("\n"),
    );
    const before = await sim.sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] });
    const { code, log } = await localAction(envFile);
    expect(code, log).toBe(0);
    expect(log).toContain("Running Action");
    expect(outputOf(log, "result")).toBe("succeeded");
    const deployed = outputOf(log, "task-definition-arn");
    expect(deployed).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task-definition\/web:\d+$/);
    const after = await sim.sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] });
    expect(after.services?.[0]?.taskDefinition).toBe(deployed);
    expect(deployed).not.toBe(before.services?.[0]?.taskDefinition);
    const canary = outputOf(log, "canary-task-arn") as string;
    const tasks = await sim.sim.ports("us-east-1").ecs.describeTasks({ cluster: "production", tasks: [canary] });
    expect(tasks.tasks?.[0]?.lastStatus).toBe("STOPPED");
    expect(readFileSync(summary, "utf8")).toMatch(/^### Rollout of web succeeded/);
  }, 180_000);
});
