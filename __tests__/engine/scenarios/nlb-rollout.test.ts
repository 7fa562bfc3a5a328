/** cage rollout of a BLUE_GREEN service behind a Network Load Balancer: weights on the listener's default action. */
import { describe, expect, it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import { currentDeployment, deployNatively } from "../../fixtures/native-world.js";
import { listenerWeights, NLB_LISTENER, nlbScenario } from "../../fixtures/nlb-world.js";
import { BLUE_TG, GREEN_TG } from "../../sim/conformance/listener-world.js";
import { CANARY_UNDONE, elbv2Error, mutations, rolloutSettings, serviceState } from "./world.js";

const canaryGroups = (s: ReturnType<typeof nlbScenario>, operation: "RegisterTargets" | "DeregisterTargets") =>
  s.sim.journal.calls({ operation }).map((c) => (c.params as { TargetGroupArn: string }).TargetGroupArn);

describe("cage rollout of a BLUE_GREEN service behind a Network Load Balancer", () => {
  it("reads production from the listener, places the canary in the live group, and ECS shifts the listener", async () => {
    const s = nlbScenario();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "DescribeListeners" }).map((c) => c.params)).toEqual([
      { ListenerArns: [NLB_LISTENER] },
    ]);
    expect(s.sim.journal.calls({ operation: "DescribeRules" })).toEqual([]);
    expect(canaryGroups(s, "RegisterTargets")).toEqual([BLUE_TG]);
    expect((await currentDeployment(s))?.status).toBe("SUCCESSFUL");
    expect(await listenerWeights(s)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    expect((await serviceState(s)).canaries).toEqual([]);
  });

  it("after an odd number of native deployments, places the canary in the alternate group, where production is", async () => {
    const s = nlbScenario();
    expect(await deployNatively(s, "web:2")).toBe("SUCCESSFUL");
    expect(await listenerWeights(s)).toEqual({ [BLUE_TG]: 0, [GREEN_TG]: 100 });
    s.sim.journal.clear();
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(canaryGroups(s, "RegisterTargets")).toEqual([GREEN_TG]);
    expect(canaryGroups(s, "DeregisterTargets")).toEqual([GREEN_TG]);
    expect(mutations(s)).toEqual([...CANARY_UNDONE, "UpdateService"]);
    expect((await currentDeployment(s))?.status).toBe("SUCCESSFUL");
    expect(await listenerWeights(s)).toEqual({ [BLUE_TG]: 100, [GREEN_TG]: 0 });
    expect((await serviceState(s)).canaries).toEqual([]);
  });

  it("retries a throttled and dropped DescribeListeners, then rolls out", async () => {
    const s = nlbScenario();
    s.sim.faults.add([
      { service: "elbv2", operation: "DescribeListeners", effect: "throttle", count: 2 },
      { service: "elbv2", operation: "DescribeListeners", effect: "drop", count: 1 },
    ]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("succeeded");
    expect(s.sim.journal.calls({ operation: "DescribeListeners" }).length).toBeGreaterThan(1);
    expect(canaryGroups(s, "RegisterTargets")).toEqual([BLUE_TG]);
  });

  it("refuses before changing anything when DescribeListeners is denied, naming the action", async () => {
    const s = nlbScenario();
    s.sim.faults.add([
      elbv2Error(
        "DescribeListeners",
        "AccessDenied",
        403,
        "not authorized to perform: elasticloadbalancing:DescribeListeners",
      ),
    ]);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result).toBe("failed");
    expect(result.serviceChanged).toBe(false);
    expect(result.message).toContain("elasticloadbalancing:DescribeListeners");
    expect(mutations(s)).toEqual([]);
  });
});
