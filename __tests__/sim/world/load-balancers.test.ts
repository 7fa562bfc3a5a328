import { describe, expect, it } from "vitest";
import { createSimulator, type WorldLike } from "../../../src/sim/simulator.js";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import { demoJson, TG_ARN } from "./harness.js";

const BLUE_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0a1b2c3d4e5f6789";

/** The demo world with a second target group behind the same load balancer. */
function simulate() {
  const builder = WorldBuilder.from(demoJson()).targetGroup({
    name: "web-blue",
    arn: BLUE_ARN,
    port: 8080,
    protocol: "HTTP",
    targetType: "ip",
    vpcId: "vpc-0a1b2c3d4e5f67890",
    loadBalancers: ["web-alb"],
    healthCheck: { path: "/health", intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
    deregistrationDelaySeconds: 30,
  });
  const sim = createSimulator({ world: (clock) => builder.build(clock) as unknown as WorldLike });
  return { sim, aws: sim.ports("us-east-1", { maxAttempts: 1 }) };
}

describe("UpdateService with loadBalancers", () => {
  it("moves the service to the new target group: new tasks register there, old ones drain from the old one", async () => {
    const { sim, aws } = simulate();
    const web = { cluster: "production", services: ["web"] };
    const targets = async (arn: string) =>
      ((await aws.elbv2.describeTargetHealth({ TargetGroupArn: arn })).TargetHealthDescriptions ?? []).map((d) => [
        d.Target?.Id,
        d.TargetHealth?.State,
      ]);
    const ipsOf = async (taskArns: string[]) =>
      ((await aws.ecs.describeTasks({ cluster: "production", tasks: taskArns })).tasks ?? []).map(
        (t) => t.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value,
      );
    const oldTasks = (await aws.ecs.listTasks({ cluster: "production", serviceName: "web" })).taskArns ?? [];
    const oldIps = await ipsOf(oldTasks);
    expect(await targets(TG_ARN)).toEqual(oldIps.map((ip) => [ip, "healthy"]));

    const blue = [{ targetGroupArn: BLUE_ARN, containerName: "app", containerPort: 8080 }];
    const updated = (await aws.ecs.updateService({ cluster: "production", service: "web", loadBalancers: blue }))
      .service;
    expect(updated?.loadBalancers).toEqual(blue);
    expect(updated?.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ["PRIMARY", "IN_PROGRESS"],
      ["ACTIVE", "COMPLETED"],
    ]);

    let drained = false;
    for (;;) {
      const svc = (await aws.ecs.describeServices(web)).services?.[0];
      const old = await targets(TG_ARN);
      drained ||= old.some(([, state]) => state === "draining");
      if (svc?.deployments?.length === 1 && svc.runningCount === 2 && old.length === 0) break;
      await sim.clock.sleep(5_000);
    }

    const svc = (await aws.ecs.describeServices(web)).services?.[0];
    expect(svc?.loadBalancers).toEqual(blue);
    expect(svc?.deployments?.[0]).toMatchObject({ status: "PRIMARY", rolloutState: "COMPLETED" });
    const newTasks = (await aws.ecs.listTasks({ cluster: "production", serviceName: "web" })).taskArns ?? [];
    expect(newTasks.some((arn) => oldTasks.includes(arn))).toBe(false);
    const newIps = await ipsOf(newTasks);
    expect((await targets(BLUE_ARN)).sort()).toEqual(newIps.map((ip) => [ip, "healthy"]).sort());
    expect(drained).toBe(true);
    expect(await targets(TG_ARN)).toEqual([]);
  });

  it("keeps the deployment when the same load balancers are given again", async () => {
    const { aws } = simulate();
    const same = [{ targetGroupArn: TG_ARN, containerName: "app", containerPort: 8080 }];
    const updated = await aws.ecs.updateService({ cluster: "production", service: "web", loadBalancers: same });
    expect(updated.service?.deployments).toHaveLength(1);
  });

  it("rejects a container port the task definition does not map, as ECS does", async () => {
    const { aws } = simulate();
    const wrong = [{ targetGroupArn: BLUE_ARN, containerName: "app", containerPort: 9999 }];
    const err = await aws.ecs
      .updateService({ cluster: "production", service: "web", loadBalancers: wrong })
      .catch((e: Error) => e);
    expect(err).toMatchObject({
      name: "InvalidParameterException",
      message: "The container app did not have a container port 9999 defined.",
    });
  });
});
