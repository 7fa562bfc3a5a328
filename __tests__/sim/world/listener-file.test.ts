/** World files declaring listeners and rules: what is refused, with the JSON path, and what is built. */
import { describe, expect, it } from "vitest";
import { World, WorldFileError } from "../../../src/sim/world/index.js";
import { listenerWorldJson } from "../conformance/listener-world.js";
import { T0 } from "./harness.js";

const clock = { now: () => T0 };

function problemsOf(change: (w: any) => void): string[] {
  try {
    World.fromJson(listenerWorldJson(change), "worlds/bad.json", { clock });
  } catch (e) {
    expect(e).toBeInstanceOf(WorldFileError);
    return (e as WorldFileError).problems;
  }
  throw new Error("the world loaded");
}

describe("listeners in a world file", () => {
  it.each([
    [
      "a target group that is not declared",
      (w: any) => {
        w.listeners[0].rules[0].forward[1].targetGroup = "web-gren";
      },
      '$.listeners[0].rules[0].forward[1].targetGroup: target group "web-gren" is not declared in targetGroups',
    ],
    [
      "a load balancer that is not declared",
      (w: any) => {
        w.listeners[0].loadBalancer = "api-alb";
      },
      '$.listeners[0].loadBalancer: load balancer "api-alb" is not declared in loadBalancers',
    ],
    [
      "a listener without its default action",
      (w: any) => {
        delete w.listeners[0].actions;
      },
      "$.listeners[0]: a listener needs its default action: give forward or actions",
    ],
    [
      "two rules with one name",
      (w: any) => {
        w.listeners[0].rules[1].name = "production";
      },
      '$.listeners[0].rules[1].name: "production" is already the name of $.listeners[0].rules[0]',
    ],
    [
      "a priority taken twice, refused as CreateRule refuses it",
      (w: any) => {
        w.listeners[0].rules[1].priority = 10;
      },
      "$.listeners[0].rules[1]: PriorityInUse: Priority '10' is currently in use",
    ],
  ])("refuses %s", (_name, change, problem) => {
    expect(problemsOf(change)).toContain(problem);
  });

  it("builds the rules with their weights and puts a weight-0 group behind the load balancer", () => {
    const world = World.fromJson(listenerWorldJson(), "worlds/ok.json", { clock });
    const snap = world.snapshot() as any;
    const [listener] = snap.listeners;
    expect(listener.Rules.map((r: any) => r.Priority)).toEqual(["5", "10", "default"]);
    expect(listener.Rules[1].Actions[0].ForwardConfig.TargetGroups.map((t: any) => t.Weight)).toEqual([100, 0]);
    const green = snap.targetGroups.find((t: any) => t.TargetGroupName === "web-green");
    expect(green.LoadBalancerArns).toEqual([listener.LoadBalancerArn]);
  });
});
