/** The action's main step on the real engine against the simulator, as a workflow runs it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultEngine } from "../../src/action/engine.js";
import { runAction } from "../../src/action/main.js";
import { createSimulator } from "../../src/sim/simulator.js";
import { World } from "../../src/sim/world/index.js";
import { parseGantt } from "../report/mermaid.js";
import { recordingAws } from "./fake-engine.js";
import { runStep } from "./harness.js";

const worldJson = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));

function rolloutOn(variant?: string, inputs: Record<string, string> = {}) {
  const sim = createSimulator({
    world: (clock) =>
      World.fromJson(worldJson, "deploy-example/world.json", { clock, ...(variant ? { variant } : {}) }),
  });
  const step = runStep(
    () =>
      runAction({
        engine: defaultEngine,
        clock: sim.clock,
        aws: (settings) => sim.ports(settings.region),
        github: () => recordingAws([]) as never,
      }),
    { command: "rollout", "deploy-context": "deploy-example", region: "us-east-1", ...inputs },
    { env: { IMAGE_TAG: "v2", GITHUB_RUN_ID: "99" } },
  );
  return { sim, step };
}

describe("the action on the simulator", () => {
  it("rolls the example service out and reports it with a timeline mermaid can read", async () => {
    const { sim, step } = rolloutOn();
    const run = await step;
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.outputs["task-definition-arn"]).toMatch(/task-definition\/web:\d+$/);
    expect(run.outputs["canary-task-arn"]).toMatch(/:task\//);
    const service = (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] }))
      .services?.[0];
    expect(service?.taskDefinition).toBe(run.outputs["task-definition-arn"]);
    expect(run.summary).toMatch(/^### Rollout of web succeeded\n\n> \[!TIP\]/);
    const tasks = await parseGantt(run.summary);
    expect(tasks.some((t) => t.section === "Phases")).toBe(true);
    expect(run.state.finished).toBe("true");
    expect(run.stdout).toMatch(/::group::/);
  });

  it("fails with the reason first and leaves the service untouched when the canary crashes", async () => {
    const { sim, step } = rolloutOn("crash");
    const before = (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] }))
      .services?.[0];
    const run = await step;
    if (process.env.SHOW_SUMMARY) console.log(run.summary);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.summary).toMatch(/> \[!CAUTION\]\n> .*The service was not changed\./);
    const why = run.summary.indexOf("#### Why");
    expect(why).toBeGreaterThan(0);
    expect(why).toBeLessThan(run.summary.indexOf("#### What was deployed"));
    const after = (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] }))
      .services?.[0];
    expect(after?.taskDefinition).toBe(before?.taskDefinition);
  });
});
