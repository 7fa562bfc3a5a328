import { describe, expect, it } from "vitest";
import { releaseCanary } from "../../src/engine/canary-release.js";
import { openSession } from "../../src/engine/session.js";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { SUBNETS, scenario, serviceState, TASK_SG } from "./scenarios/world.js";

const options = { drain: false, stopTimeout: 60_000, groups: new Map(), reason: "test" };
const canary = (taskArn: string) => ({
  cluster: "production",
  service: "web",
  taskArn,
  registrations: [],
  stopRequested: false,
});

describe("releaseCanary stopping the task", () => {
  it("counts a task ECS no longer knows as already gone, from what DescribeTasks says", async () => {
    const s = scenario();
    const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
    const gone = "arn:aws:ecs:us-east-1:123456789012:task/production/0123456789abcdef0123456789abcdef";
    const outcome = await releaseCanary(session, canary(gone), options);
    expect(outcome).toEqual({ ok: true, problems: [] });
    expect(s.timeline.events).toContainEqual(expect.objectContaining({ type: "cleanup", message: "already gone" }));
    expect(s.sim.journal.calls().map((c) => `${c.operation} ${c.status}`)).toEqual([
      "StopTask 400",
      "DescribeTasks 200",
    ]);
  });

  it("reports a task it could not stop, whatever the error says, when the task is still running", async () => {
    const s = scenario();
    const out = await s.deps.aws.ecs.runTask({
      cluster: "production",
      taskDefinition: "web:1",
      launchType: "FARGATE",
      group: "cage:canary-task:web",
      networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNETS[0] ?? ""], securityGroups: [TASK_SG] } },
    });
    const taskArn = out.tasks?.[0]?.taskArn ?? "";
    await s.sim.clock.sleep(120_000);
    s.sim.faults.add([
      { operation: "StopTask", effect: "error", code: "InvalidParameterException", message: "Task not found." },
    ]);
    const session = openSession(s.deps, DEFAULT_TIMEOUTS.overall);
    const outcome = await releaseCanary(session, canary(taskArn), options);
    expect(outcome.ok).toBe(false);
    expect(outcome.problems.join(" ")).toContain("InvalidParameterException");
    expect((await serviceState(s)).canaries.map((t) => t.taskArn)).toEqual([taskArn]);
  });
});
