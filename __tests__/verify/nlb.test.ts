/** verify of a service behind a Network Load Balancer without security groups, against the simulator. */
import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { verifyOf } from "../../src/inputs/settings.js";
import { verify } from "../../src/verify/verify.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import { nlbScenario } from "../fixtures/nlb-world.js";

const AUDIT = {
  source: "deploy-context" as const,
  failOn: "critical" as const,
  failOnFixableOnly: false,
  failOnUnscanned: "private" as const,
  scanWaitTimeout: 0,
  detail: false,
};
const REACH = "load balancer can reach container app on port 8080";

async function checksOf(change?: (w: any) => void) {
  const s = nlbScenario(change);
  const report = await verify(verifyOf("rollout", rolloutSettings(), AUDIT), s.deps, DEFAULT_TIMEOUTS.overall);
  return { report, check: (name: string) => report.checks.find((c) => c.name === name) };
}

describe("verify of a service behind a Network Load Balancer without security groups", () => {
  it("passes when the tasks' group lets in an address range covering the load balancer's subnets", async () => {
    const { report, check } = await checksOf();
    expect(report.failed).toBe(false);
    expect(check("target group web-tg is behind a load balancer")).toMatchObject({
      status: "OK",
      reason: "forwarded to by web-nlb",
    });
    expect(check(REACH)).toEqual({
      name: REACH,
      status: "OK",
      reason: "sg-0123456789abcdef0 allows 8080 from 10.0.0.0/16, which covers the network load balancer's subnets",
    });
  });

  it("fails, naming the fix, when only the ALB's security group may reach the tasks", async () => {
    const { report, check } = await checksOf((w) => {
      w.securityGroups[0].ingress = w.securityGroups[0].ingress.filter((r: any) => !r.cidr);
    });
    expect(report.failed).toBe(true);
    expect(check(REACH)?.status).toBe("NG");
    expect(check(REACH)?.reason).toContain("no ingress rule allows tcp 8080 from an address range");
    expect(check(REACH)?.reason).toContain("allow tcp 8080 in sg-0123456789abcdef0 from the VPC's CIDR");
  });

  it("fails when the address range does not cover the load balancer's subnets", async () => {
    const { check } = await checksOf((w) => {
      const rule = w.securityGroups[0].ingress.find((r: any) => r.cidr);
      rule.cidr = "10.0.1.0/24";
    });
    expect(check(REACH)?.status).toBe("NG");
    expect(check(REACH)?.reason).toContain("from the network load balancer's subnets (10.0.1.0/24, 10.0.2.0/24)");
  });
});
