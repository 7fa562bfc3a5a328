/** canarycage's known faults (B1–B20 in the spec), each shown absent here through the simulator. */
import type { DescribeTasksCommandOutput } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import {
  CANARY_UNDONE,
  elbv2Error,
  mutations,
  rolloutSettings,
  scenario,
  serviceState,
  targetsOf,
  webContext,
} from "./world.js";

describe("faults canarycage has and cage-action does not", () => {
  it("registers the canary on the load balancer's container port, not the first port mapping", async () => {
    const s = scenario();
    const context = webContext("v2");
    context.taskDefinition = {
      ...context.taskDefinition!,
      containerDefinitions: context.taskDefinition!.containerDefinitions?.map((c) =>
        c.name === "app" ? { ...c, portMappings: [{ containerPort: 9000 }, { containerPort: 8080 }] } : c,
      ),
    };
    const result = await rollout(rolloutSettings({ context }), s.deps);
    expect(result.result).toBe("succeeded");
    const [registration] = s.sim.journal.calls({ operation: "RegisterTargets" });
    expect(registration?.params).toMatchObject({
      Targets: [{ Port: 8080, AvailabilityZone: expect.stringMatching(/^us-east-1[ab]$/) }],
    });
  });

  it("launches the canary with the capacity provider strategy it is given, not a hard-coded FARGATE", async () => {
    const s = scenario();
    const context = webContext("v2", {
      launchType: undefined,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    });
    await rollout(rolloutSettings({ context, updateService: true }), s.deps);
    const [run] = s.sim.journal.calls({ operation: "RunTask" });
    expect(run?.params).toMatchObject({ capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] });
    expect(run?.params).not.toHaveProperty("launchType");
  });

  it("cleans up the canary when a wait fails in a way nobody planned for", async () => {
    const s = scenario();
    s.sim.faults.add([elbv2Error("DescribeTargetHealth", "ValidationError", 400, "boom")]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("elasticloadbalancing:DescribeTargetHealth failed: ValidationError: boom");
    expect((await serviceState(s)).canaries).toEqual([]);
    expect(mutations(s)).toEqual(CANARY_UNDONE);
  });

  it("fails cleanly, with cleanup, when ECS loses track of the canary task", async () => {
    const s = scenario();
    const describe = s.deps.aws.ecs.describeTasks;
    let canary = "";
    s.deps.aws.ecs.describeTasks = async (input, signal) => {
      const out: DescribeTasksCommandOutput = await describe(input, signal);
      const asksForCanary = input.tasks?.length === 1 && input.tasks[0] === canary;
      if (!canary && out.tasks?.[0]?.group === "cage:canary-task:web") canary = out.tasks[0].taskArn ?? "";
      // After the canary is RUNNING, DescribeTasks answers MISSING, as it does for an expired task.
      if (asksForCanary && out.tasks?.[0]?.lastStatus === "RUNNING") {
        return { ...out, tasks: [], failures: [{ arn: canary, reason: "MISSING" }] };
      }
      return out;
    };
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("ECS no longer knows task");
    expect(mutations(s)).not.toContain("UpdateService");
    expect(mutations(s)).toContain("StopTask");
  });

  it("gives up on a target stuck in 'initial' at the deadline its target group's settings imply", async () => {
    const s = scenario();
    const describeHealth = s.deps.aws.elbv2.describeTargetHealth;
    // The load balancer never gets to judge the target, as with a target in an AZ the load balancer does not serve.
    s.deps.aws.elbv2.describeTargetHealth = async (input, signal) => {
      const out = await describeHealth(input, signal);
      return {
        ...out,
        TargetHealthDescriptions: out.TargetHealthDescriptions?.map((d) => ({
          ...d,
          TargetHealth: {
            State: "initial",
            Reason: "Elb.InitialHealthChecking",
            Description: "Initial health checks in progress",
          },
        })),
      };
    };
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.message).toContain("stayed 'initial'");
    // web-tg: (3 + 1) × 10 s + 5 s + 60 s of margin after registration, far from the 15-minute target health timeout.
    const registered = s.sim.journal.calls({ operation: "RegisterTargets" })[0]?.time ?? 0;
    const gaveUp = s.timeline.events.find((e) => e.type === "phase-finished" && e.phase === "target-health")?.at ?? 0;
    expect(gaveUp - registered).toBeGreaterThan(105_000);
    expect(gaveUp - registered).toBeLessThan(120_000);
    expect((await serviceState(s)).canaries).toEqual([]);
  });

  it("never leaves the canary serving traffic while the service deploys", async () => {
    const s = scenario();
    await rollout(rolloutSettings(), s.deps);
    const update = s.sim.journal.calls({ operation: "UpdateService" })[0]?.seq ?? 0;
    const deregister = s.sim.journal.calls({ operation: "DeregisterTargets" })[0]?.seq ?? Number.POSITIVE_INFINITY;
    expect(deregister).toBeLessThan(update);
    expect((await targetsOf(s)).map((t) => t.state)).toEqual(["healthy", "healthy"]);
  });
});
