/** `command: continue` and `command: rollback`: the action's main step on the real engine against native deployments. */
import { describe, expect, it } from "vitest";
import { defaultEngine } from "../../src/action/engine.js";
import { runAction } from "../../src/action/main.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { Simulator } from "../../src/sim/simulator.js";
import type { World } from "../../src/sim/world/index.js";
import {
  deploymentOf,
  deployRolling,
  nativeSimulator,
  PAUSE_HOOK,
  startBlueGreen,
  taskDefinitionOfService,
  untilPaused,
  WEB_1,
} from "../fixtures/native-world.js";
import { recordingAws } from "./fake-engine.js";
import { runStep } from "./harness.js";

const WEB = { region: "us-east-1", cluster: "production", service: "web" };

function step(sim: Simulator<World>, inputs: Record<string, string>, ports?: (p: AwsPorts) => AwsPorts) {
  sim.journal.clear();
  return runStep(
    () =>
      runAction({
        engine: defaultEngine,
        clock: sim.clock,
        aws: (settings) => (ports ?? ((p) => p))(sim.ports(settings.region)),
        github: () => recordingAws([]) as never,
      }),
    { ...WEB, ...inputs },
    { env: { GITHUB_RUN_ID: "99" } },
  );
}
const mutations = (sim: Simulator<World>) => sim.journal.mutations().map((c) => c.operation);

describe("command: continue", () => {
  it("continues the paused hook; the deployment ends SUCCESSFUL and the step says so", async () => {
    const sim = nativeSimulator();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    const run = await step(sim, { command: "continue" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ result: "succeeded", "service-deployment-arn": arn });
    expect((await deploymentOf(sim, arn))?.status).toBe("SUCCESSFUL");
    expect(mutations(sim)).toEqual(["ContinueServiceDeployment"]);
    expect(run.summary).toMatch(/^### Continuation of web succeeded\n\n> \[!TIP\]\n> Continued hook /);
  });

  it("fails before any change, naming the service and its deployment, when nothing waits", async () => {
    const sim = nativeSimulator();
    const arn = await startBlueGreen(sim, []);
    const run = await step(sim, { command: "continue", "deploy-context": "deploy-example" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ result: "failed", "service-deployment-arn": arn });
    expect(run.summary).toContain(`Nothing to continue: service 'web' in cluster 'production' has service deployment`);
    expect(run.stdout).toMatch(
      /Run `command: continue` only while a PAUSE hook waits \(a rollout with 'wait-until' paused/,
    );
    expect(run.summary).toMatch(/The service was not changed\./);
    expect(mutations(sim)).toEqual([]);
  });

  it("prints what AWS says about the deployment inert", async () => {
    const sim = nativeSimulator();
    await startBlueGreen(sim, []);
    const hostile = (p: AwsPorts): AwsPorts => ({
      ...p,
      ecs: {
        ...p.ecs,
        describeServiceDeployments: async (input, signal) => {
          const out = await p.ecs.describeServiceDeployments(input, signal);
          for (const d of out.serviceDeployments ?? [])
            d.lifecycleStage = "BAKE\n::error title=x::pwned\u001b[31m" as never;
          return out;
        },
      },
    });
    const run = await step(sim, { command: "continue" }, hostile);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("BAKE\\n::error title=x::pwned\\u001b[31m");
    expect(run.stdout).not.toMatch(/^::error title=x::pwned/m);
    expect(run.stdout).not.toContain("\u001b");
  });
});

describe("command: rollback", () => {
  it("rolls a paused deployment back through its hook: ROLLBACK_SUCCESSFUL, result succeeded", async () => {
    const sim = nativeSimulator();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    const run = await step(sim, { command: "rollback" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.stdout).toMatch(/the rollback completed \(ROLLBACK_SUCCESSFUL\)/);
    expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(mutations(sim)).toEqual(["ContinueServiceDeployment"]);
  });

  it("stops a deployment in progress with ROLLBACK, named by 'service-deployment-arn'", async () => {
    const sim = nativeSimulator();
    const arn = await startBlueGreen(sim, []);
    const run = await step(sim, { command: "rollback", "service-deployment-arn": arn });
    expect(run.exitCode).toBe(0);
    expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(mutations(sim)).toEqual(["StopServiceDeployment"]);
  });

  it("on a ROLLING service with nothing in flight, rolls the previous revision out through a canary", async () => {
    const sim = nativeSimulator();
    await deployRolling(sim, "web:2");
    const run = await step(sim, { command: "rollback", "canary-task-idle-duration": "5s" });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ result: "succeeded", "task-definition-arn": WEB_1 });
    expect(run.summary).toContain("Rollback to web:1: Service 'web' rolled out to web:1.");
    expect(await taskDefinitionOfService(sim)).toBe(WEB_1);
    expect(mutations(sim)).toContain("RunTask");
    // The post step finds its canary in the step's state, and nothing left to clean up.
    expect(JSON.parse(run.state.cleanup ?? "{}")).toMatchObject({ runId: "99", launched: false, recorded: [] });
  });

  it("needs 'service' or 'deploy-context' to name the service", async () => {
    const sim = nativeSimulator();
    const run = await step(sim, { command: "rollback", service: "" });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/`command: rollback` needs 'service' \(with 'cluster'\) or 'deploy-context'/);
    expect(sim.journal.calls()).toEqual([]);
  });
});
