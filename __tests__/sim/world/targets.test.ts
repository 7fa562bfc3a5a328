import { describe, expect, it } from "vitest";
import { SimError } from "../../../src/sim/types.js";
import { Harness, TG_ARN } from "./harness.js";

/** Runs a canary of web:v2 until RUNNING and registers it, as the engine does. */
function registeredCanary(h: Harness) {
  const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
  h.advance(30);
  const ip = h.ipOf(h.task(arn));
  h.call("elbv2", "RegisterTargets", { TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
  return { arn, ip };
}

function statesOver(h: Harness, ip: string, seconds: number): string[] {
  const seen: string[] = [];
  for (let s = 0; s < seconds; s += 1) {
    const th = h.health(ip);
    const label = th.Reason ? `${th.State}:${th.Reason}` : th.State;
    if (seen.at(-1) !== label) seen.push(label);
    h.advance(1);
  }
  return seen;
}

describe("target health", () => {
  it("turns a registered canary healthy after interval × healthyThreshold", () => {
    const h = Harness.demo();
    const { ip } = registeredCanary(h);
    expect(statesOver(h, ip, 40)).toEqual([
      "initial:Elb.RegistrationInProgress",
      "initial:Elb.InitialHealthChecking",
      "healthy",
    ]);
    const exact = Harness.demo();
    const canary = registeredCanary(exact);
    exact.advance(29);
    expect(exact.health(canary.ip).State).toBe("initial");
    exact.advance(1);
    expect(exact.health(canary.ip).State).toBe("healthy");
  });

  it.each([
    ["target-unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"],
    ["target-timeout", "Target.Timeout", "Request timed out"],
    ["security-group-blocks", "Target.Timeout", "Request timed out"],
  ])("reports the canary unhealthy in %s", (variant, reason, description) => {
    const h = Harness.demo(variant);
    const { ip } = registeredCanary(h);
    h.advance(29);
    expect(h.health(ip).State).toBe("initial");
    h.advance(1);
    expect(h.health(ip)).toEqual({ State: "unhealthy", Reason: reason, Description: description });
  });

  it("drains a deregistered target for the deregistration delay, then forgets it", () => {
    const h = Harness.demo();
    const { ip } = registeredCanary(h);
    h.advance(40);
    h.call("elbv2", "DeregisterTargets", { TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
    expect(h.health(ip)).toMatchObject({ State: "draining", Reason: "Target.DeregistrationInProgress" });
    h.advance(29);
    expect(h.health(ip).State).toBe("draining");
    h.advance(1);
    expect(h.health(ip)).toMatchObject({ State: "unused", Reason: "Target.NotRegistered" });
  });

  it("answers unused for a target that was never registered", () => {
    const h = Harness.demo();
    expect(h.health("10.0.9.9")).toMatchObject({ State: "unused", Reason: "Target.NotRegistered" });
  });

  it("honours a changed deregistration delay", () => {
    const h = Harness.demo();
    h.call("elbv2", "ModifyTargetGroupAttributes", {
      TargetGroupArn: TG_ARN,
      Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "5" }],
    });
    const attrs = h.call("elbv2", "DescribeTargetGroupAttributes", { TargetGroupArn: TG_ARN }).Attributes;
    expect(attrs).toContainEqual({ Key: "deregistration_delay.timeout_seconds", Value: "5" });
    const { ip } = registeredCanary(h);
    h.call("elbv2", "DeregisterTargets", { TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
    h.advance(5);
    expect(h.health(ip).State).toBe("unused");
  });

  it("rejects an IP outside the VPC and unknown target groups", () => {
    const h = Harness.demo();
    const register = (arn: string, id: string) =>
      h.call("elbv2", "RegisterTargets", { TargetGroupArn: arn, Targets: [{ Id: id, Port: 8080 }] });
    expect(() => register(TG_ARN, "192.168.1.1")).toThrow(expect.objectContaining({ code: "InvalidTarget" }));
    expect(() => register(`${TG_ARN}0`, "10.0.1.1")).toThrow(SimError);
  });

  it("pages target groups with Marker", () => {
    const h = Harness.demo();
    for (let i = 0; i < 3; i += 1) {
      h.call("elbv2", "CreateTargetGroup", {
        Name: `tg-${i}`,
        Port: 80,
        Protocol: "HTTP",
        VpcId: "vpc-0a1b2c3d4e5f67890",
        TargetType: "ip",
      });
    }
    const first = h.call("elbv2", "DescribeTargetGroups", { PageSize: 3 });
    expect(first.TargetGroups).toHaveLength(3);
    const second = h.call("elbv2", "DescribeTargetGroups", { PageSize: 3, Marker: first.NextMarker });
    expect(second.TargetGroups.map((t: any) => t.TargetGroupName)).toEqual(["tg-2"]);
    expect(second.NextMarker).toBeUndefined();
    expect(() => h.call("elbv2", "DescribeTargetGroups", { Names: ["nope"] })).toThrow(
      expect.objectContaining({ code: "TargetGroupNotFound" }),
    );
  });
});
