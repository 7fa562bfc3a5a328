import { describe, expect, it } from "vitest";
import { cleanup } from "../../../src/engine/cleanup.js";
import type { CageEvent } from "../../../src/engine/events.js";
import { rollout } from "../../../src/engine/rollout.js";
import { runTask } from "../../../src/engine/run.js";
import { DEFAULT_TIMEOUTS } from "../../../src/engine/settings.js";
import { up } from "../../../src/engine/up.js";
import {
  mutations,
  REPO,
  rolloutSettings,
  type Scenario,
  SUBNETS,
  scenario,
  serviceState,
  TASK_SG,
  TG_ARN,
  targetsOf,
  webContext,
} from "./world.js";

const target = { region: "us-east-1", cluster: "production", service: "web" };

describe("cage up", () => {
  it("creates the service and waits for its first deployment to complete", async () => {
    const s = scenario(undefined, (b) => b.noServices());
    const result = await up(
      { ...target, context: webContext("v2"), timeouts: DEFAULT_TIMEOUTS, runId: "run-1" },
      s.deps,
    );
    expect(result.result).toBe("succeeded");
    expect(result.message).toContain("first deployment completed");
    const state = await serviceState(s);
    expect(state.taskDefinition).toBe(result.taskDefinitionArn);
    expect(state.running).toHaveLength(2);
    expect(state.deployments.map((d) => d.rolloutState)).toEqual(["COMPLETED"]);
    expect(mutations(s)).toEqual(["RegisterTaskDefinition", "CreateService"]);
  });

  it("follows its first deployment by its service deployment's ARN and reports that ARN", async () => {
    const s = scenario(undefined, (b) => b.noServices());
    const result = await up(
      { ...target, context: webContext("v2"), timeouts: DEFAULT_TIMEOUTS, runId: "run-1" },
      s.deps,
    );
    expect(result.result).toBe("succeeded");
    const listed = await s.deps.aws.ecs.listServiceDeployments({ cluster: "production", service: "web" });
    expect(listed.serviceDeployments).toHaveLength(1);
    expect(result.serviceDeploymentArn).toBe(listed.serviceDeployments?.[0]?.serviceDeploymentArn);
    expect(listed.serviceDeployments?.[0]?.status).toBe("SUCCESSFUL");
  });

  it("reports the first deployment's service deployment ARN when its tasks keep crashing", async () => {
    const s = scenario("crash", (b) => b.noServices());
    const result = await up(
      { ...target, context: webContext("v2"), timeouts: DEFAULT_TIMEOUTS, runId: "run-1" },
      s.deps,
    );
    expect(result.result).toBe("failed");
    const listed = await s.deps.aws.ecs.listServiceDeployments({ cluster: "production", service: "web" });
    const arn = listed.serviceDeployments?.[0]?.serviceDeploymentArn;
    expect(arn).toBeDefined();
    expect(result.serviceDeploymentArn).toBe(arn);
  });

  it("refuses a service that already exists before registering anything", async () => {
    const s = scenario();
    const result = await up(
      { ...target, context: webContext("v2"), timeouts: DEFAULT_TIMEOUTS, runId: "run-1" },
      s.deps,
    );
    expect(result.result).toBe("failed");
    expect(result.message).toContain("already exists");
    expect(result.message).toContain("cage rollout");
    expect(mutations(s)).toEqual([]);
  });

  it("reports a first deployment whose tasks keep crashing, with their exit codes", async () => {
    const s = scenario("crash", (b) => b.noServices());
    const result = await up(
      { ...target, context: webContext("v2"), timeouts: DEFAULT_TIMEOUTS, runId: "run-1" },
      s.deps,
    );
    expect(result.result).toBe("failed");
    expect(result.serviceChanged).toBe(true);
    expect(result.message).toContain("did not complete");
    expect(result.evidence).toContainEqual(expect.stringContaining('container "app" exited with code 1'));
  });
});

describe("cage run", () => {
  const runSettings = (command: string[], container = "app") => ({
    ...target,
    context: webContext("v2"),
    container,
    command,
    timeouts: DEFAULT_TIMEOUTS,
    runId: "run-1",
  });

  it("passes the container's exit code through", async () => {
    const s = scenario(undefined, (b) => b.image(`${REPO}:v2`, { exitAfterSeconds: 5, exitCode: 3 }));
    const result = await runTask(runSettings(["bin/migrate", "--up"]), s.deps);
    expect(result.exitCode).toBe(3);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("exited with code 3");
    const [call] = s.sim.journal.calls({ operation: "RunTask" });
    expect(call?.params).toMatchObject({
      overrides: { containerOverrides: [{ name: "app", command: ["bin/migrate", "--up"] }] },
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG] } },
    });
  });

  it("succeeds when the container exits with 0", async () => {
    const s = scenario(undefined, (b) => b.image(`${REPO}:v2`, { exitAfterSeconds: 5, exitCode: 0 }));
    const result = await runTask(runSettings(["true"]), s.deps);
    expect(result).toMatchObject({ result: "succeeded", exitCode: 0 });
  });

  it("refuses a container the task definition does not have, before starting anything", async () => {
    const s = scenario();
    const result = await runTask(runSettings(["x"], "worker"), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Container 'worker' is not in the task definition");
    expect(mutations(s)).toEqual([]);
  });

  it("stops the task and says so when it runs past the stopped timeout", async () => {
    const s = scenario();
    const settings = { ...runSettings(["sleep", "infinity"]), timeouts: { ...DEFAULT_TIMEOUTS, taskStopped: 60_000 } };
    const result = await runTask(settings, s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("Timed out after 1m00s waiting for the task to finish (phase run-task)");
    expect(result.message).toMatch(/Task arn:aws:ecs:\S+ was stopped\. The service was not changed\.$/);
    const running = await s.deps.aws.ecs.listTasks({ cluster: "production", startedBy: "cage-action/run-1" });
    expect(running.taskArns).toEqual([]);
  });

  it("reports a task that never ran with its stop reason", async () => {
    const s = scenario("pull-error");
    const result = await runTask(runSettings(["x"]), s.deps);
    expect(result.result).toBe("failed");
    expect(result.exitCode).toBeUndefined();
    expect(result.message).toContain("CannotPullContainerError");
  });
});

/** A canary left behind by a main step that was killed: started, running, registered. */
async function leftoverCanary(
  s: Scenario,
  startedBy: string,
): Promise<{ taskArn: string; ip: string; recorded: CageEvent[] }> {
  const out = await s.deps.aws.ecs.runTask({
    cluster: "production",
    taskDefinition: "web:1",
    launchType: "FARGATE",
    group: "cage:canary-task:web",
    startedBy,
    networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNETS[0] ?? ""], securityGroups: [TASK_SG] } },
  });
  const taskArn = out.tasks?.[0]?.taskArn ?? "";
  let ip = "";
  for (let i = 0; i < 60 && !ip; i++) {
    await s.sim.clock.sleep(3_000);
    const task = (await s.deps.aws.ecs.describeTasks({ cluster: "production", tasks: [taskArn] })).tasks?.[0];
    if (task?.lastStatus === "RUNNING") {
      ip = task.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value ?? "";
    }
  }
  await s.deps.aws.elbv2.registerTargets({ TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
  await s.sim.clock.sleep(40_000);
  const recorded: CageEvent[] = [
    { at: 0, type: "resource", kind: "canary-task", id: taskArn, detail: { cluster: "production", service: "web" } },
    {
      at: 0,
      type: "resource",
      kind: "target-registration",
      id: "r",
      detail: { targetGroupArn: TG_ARN, targetId: ip, port: 8080, taskArn },
    },
  ];
  s.sim.journal.clear();
  return { taskArn, ip, recorded };
}

describe("cage cleanup", () => {
  const cleanupSettings = { ...target, drain: false, timeouts: DEFAULT_TIMEOUTS };

  it("finds a leftover canary by its group, deregisters it from the target group and stops it", async () => {
    const s = scenario();
    const { ip } = await leftoverCanary(s, "cage-action/run-9");
    expect((await targetsOf(s)).find((t) => t.id === ip)?.state).toBe("healthy");
    const result = await cleanup(cleanupSettings, s.deps);
    expect(result.result).toBe("succeeded");
    expect(result.message).toContain("Cleaned up 1 canary task(s)");
    expect((await serviceState(s)).canaries).toEqual([]);
    expect((await targetsOf(s)).find((t) => t.id === ip)?.state ?? "gone").toMatch(/draining|gone/);
    expect(mutations(s)).toEqual(["DeregisterTargets", "StopTask"]);
  });

  it("finishes what a killed main step recorded", async () => {
    const s = scenario();
    const { recorded, ip } = await leftoverCanary(s, "cage-action/run-9");
    const result = await cleanup({ ...cleanupSettings, runId: "run-9", recorded }, s.deps);
    expect(result.result).toBe("succeeded");
    const deregistered = s.sim.journal.calls({ operation: "DeregisterTargets" })[0]?.params;
    expect(deregistered).toMatchObject({ TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
  });

  it("has nothing to do after a main step that cleaned up after itself", async () => {
    const s = scenario();
    await rollout(rolloutSettings(), s.deps);
    s.sim.journal.clear();
    const result = await cleanup({ ...cleanupSettings, runId: "run-1", recorded: s.timeline.events }, s.deps);
    expect(result).toMatchObject({ result: "succeeded", message: expect.stringContaining("Nothing to clean up") });
    expect(mutations(s)).toEqual([]);
  });

  it("leaves another run's canary alone when given a run id", async () => {
    const s = scenario();
    await leftoverCanary(s, "cage-action/someone-else");
    const result = await cleanup({ ...cleanupSettings, runId: "run-9" }, s.deps);
    expect(result).toMatchObject({ result: "succeeded", message: expect.stringContaining("Nothing to clean up") });
    expect(mutations(s)).toEqual([]);
    expect((await serviceState(s)).canaries).toHaveLength(1);
  });
});
