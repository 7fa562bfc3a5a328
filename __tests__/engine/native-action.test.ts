/** planNativeAction against deployments as the simulator reports them, the planned call sent back to the simulator. */
import { describe, expect, it } from "vitest";
import { planNativeAction } from "../../src/engine/native-action.js";
import { WorldBuilder } from "../../src/sim/world/index.js";
import { BLUE_GREEN_LOAD_BALANCERS, listenerWorldJson, withWebV2 } from "../sim/conformance/listener-world.js";
import { Harness } from "../sim/world/harness.js";

const web = { cluster: "production", service: "web" };
const loadBalancers = BLUE_GREEN_LOAD_BALANCERS;
const pause = {
  targetType: "PAUSE",
  lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
  timeoutConfiguration: { timeoutInMinutes: 10, action: "ROLLBACK" },
};

function deploy(hooks: unknown[]) {
  const h = new Harness(WorldBuilder.from(listenerWorldJson((w) => withWebV2(w) ?? w)));
  const arn = h.call("ecs", "UpdateService", {
    ...web,
    taskDefinition: "web:2",
    loadBalancers,
    deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 5, lifecycleHooks: hooks },
  }).service.currentServiceDeployment as string;
  const look = () =>
    h.call("ecs", "DescribeServiceDeployments", { serviceDeploymentArns: [arn] }).serviceDeployments[0];
  const waitFor = (until: (d: any) => boolean) => {
    for (let t = 0; t < 3600; t += 5) {
      if (until(look())) return look();
      h.advance(5);
    }
    throw new Error(`never: ${JSON.stringify(look())}`);
  };
  /** Sends a planned action to the simulator as sendNativeAction sends it to ECS. */
  const send = (action: ReturnType<typeof planNativeAction>) =>
    action.call === "continue"
      ? h.call("ecs", "ContinueServiceDeployment", {
          serviceDeploymentArn: action.serviceDeploymentArn,
          hookId: action.hookId,
          action: action.action,
        })
      : h.call("ecs", "StopServiceDeployment", {
          serviceDeploymentArn: action.serviceDeploymentArn,
          stopType: "ROLLBACK",
        });
  return { look, waitFor, send };
}
const paused = (d: any) => d.lifecycleHookDetails?.some((x: any) => x.status === "AWAITING_ACTION");
const ended = (d: any) => !["PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"].includes(d.status);

describe("planNativeAction", () => {
  it("continue on a paused PAUSE hook continues it, and the deployment ends SUCCESSFUL", () => {
    const { waitFor, send } = deploy([pause]);
    const action = planNativeAction("continue", waitFor(paused));
    expect(action).toMatchObject({ call: "continue", action: "CONTINUE" });
    send(action);
    expect(waitFor(ended).status).toBe("SUCCESSFUL");
  });

  it("rollback while paused answers the hook with ROLLBACK", () => {
    const { waitFor, send } = deploy([pause]);
    const action = planNativeAction("rollback", waitFor(paused));
    expect(action).toMatchObject({ call: "continue", action: "ROLLBACK" });
    send(action);
    expect(waitFor(ended).status).toBe("ROLLBACK_SUCCESSFUL");
  });

  it("rollback in progress without a paused hook stops the deployment with ROLLBACK", () => {
    const { look, waitFor, send } = deploy([]);
    const action = planNativeAction("rollback", look());
    expect(action.call).toBe("stop");
    send(action);
    expect(waitFor(ended).status).toBe("ROLLBACK_SUCCESSFUL");
  });

  it("refuses continue when no hook waits, and either command on an ended deployment", () => {
    const { look, waitFor } = deploy([]);
    expect(() => planNativeAction("continue", look())).toThrow(
      /Nothing to continue: .* no lifecycle hook of it is AWAITING_ACTION/,
    );
    const done = waitFor(ended);
    expect(done.status).toBe("SUCCESSFUL");
    expect(() => planNativeAction("rollback", done)).toThrow(
      /Nothing to roll back: .* which is SUCCESSFUL.*no longer in flight/,
    );
    expect(() => planNativeAction("continue", undefined)).toThrow(/no service deployment in flight/);
  });
});
