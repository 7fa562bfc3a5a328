/** A Network Load Balancer in the world: TCP target groups, TCP health checks, and no security groups of its own. */
import { describe, expect, it } from "vitest";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import { nlbWorldJson } from "../../fixtures/nlb-world.js";
import { BLUE_TG } from "../conformance/listener-world.js";
import { Harness, REPO } from "./harness.js";

const harness = (change?: (w: any) => void, app: "pass" | "mismatch" = "pass") =>
  new Harness(WorldBuilder.from(nlbWorldJson(change)).image(`${REPO}:v1`, { appHealthCheck: app }));

const states = (h: Harness, seconds = 120) => {
  h.advance(seconds);
  return h
    .call("elbv2", "DescribeTargetHealth", { TargetGroupArn: BLUE_TG })
    .TargetHealthDescriptions.map((d: any) => [d.TargetHealth.State, d.TargetHealth.Reason]);
};

describe("a service behind a Network Load Balancer", () => {
  it("describes its TCP target group without an HTTP path, matcher or protocol version", () => {
    const [tg] = harness().call("elbv2", "DescribeTargetGroups", { TargetGroupArns: [BLUE_TG] }).TargetGroups;
    expect(tg).toMatchObject({ Protocol: "TCP", HealthCheckProtocol: "TCP" });
    expect(tg).not.toHaveProperty("HealthCheckPath");
    expect(tg).not.toHaveProperty("Matcher");
    expect(tg).not.toHaveProperty("ProtocolVersion");
  });

  it("turns healthy on a TCP check even when the app answers 500, which only an HTTP check sees", () => {
    expect(states(harness(undefined, "mismatch"))).toEqual([
      ["healthy", undefined],
      ["healthy", undefined],
    ]);
  });

  it("times out when the tasks let in only the ALB's group: an NLB without groups sends from its subnets", () => {
    const h = harness((w) => {
      w.securityGroups[0].ingress = w.securityGroups[0].ingress.filter((r: any) => !r.cidr);
    });
    h.advance(120);
    const { events } = h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];
    const unhealthy = events.filter((e: any) => /is unhealthy in \(target-group .*web-tg/.test(e.message));
    expect(unhealthy.length).toBeGreaterThan(0);
    expect(unhealthy[0].message).toContain("(reason Request timed out)");
  });
});
