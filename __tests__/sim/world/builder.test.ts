import { describe, expect, it } from "vitest";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import { Harness } from "./harness.js";

function apiWorld(): WorldBuilder {
  return new WorldBuilder({ region: "eu-west-1", accountId: "210987654321" })
    .vpc({ vpcId: "vpc-1", cidrBlock: "172.16.0.0/16" })
    .subnet({ subnetId: "subnet-a", vpcId: "vpc-1", availabilityZone: "eu-west-1a", cidrBlock: "172.16.1.0/24" })
    .subnet({ subnetId: "subnet-b", vpcId: "vpc-1", availabilityZone: "eu-west-1b", cidrBlock: "172.16.2.0/24" })
    .securityGroup({ groupId: "sg-lb", vpcId: "vpc-1" })
    .securityGroup({
      groupId: "sg-api",
      vpcId: "vpc-1",
      ingress: [{ fromPort: 3000, sourceSecurityGroupId: "sg-lb" }],
    })
    .cluster({ name: "apps" })
    .loadBalancer({ name: "api-alb", subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-lb"] })
    .targetGroup({
      name: "api-tg",
      port: 3000,
      vpcId: "vpc-1",
      loadBalancers: ["api-alb"],
      healthCheck: { intervalSeconds: 5, healthyThreshold: 2 },
    })
    .taskDefinition({
      family: "api",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "api", image: "registry.example/api:1", portMappings: [{ containerPort: 3000 }] }],
    })
    .service({
      cluster: "apps",
      serviceName: "api",
      taskDefinition: "api",
      desiredCount: 3,
      subnets: ["subnet-a", "subnet-b"],
      securityGroups: ["sg-api"],
      loadBalancers: [{ targetGroup: "api-tg", containerName: "api", containerPort: 3000 }],
    })
    .image("api:1", { bootSeconds: 5 });
}

describe("WorldBuilder", () => {
  it("builds a world from scratch whose service runs healthy in its region and account", () => {
    const h = new Harness(apiWorld());
    const svc = h.call("ecs", "DescribeServices", { cluster: "apps", services: ["api"] }, "eu-west-1").services[0];
    expect(svc.serviceArn).toBe("arn:aws:ecs:eu-west-1:210987654321:service/apps/api");
    expect(svc.runningCount).toBe(3);
    const tg = svc.loadBalancers[0].targetGroupArn;
    const health = h.call(
      "elbv2",
      "DescribeTargetHealth",
      { TargetGroupArn: tg },
      "eu-west-1",
    ).TargetHealthDescriptions;
    expect(health.map((d: any) => d.TargetHealth.State)).toEqual(["healthy", "healthy", "healthy"]);
  });

  it("finds ECR repositories only in their own region", () => {
    const h = new Harness(apiWorld().repository({ name: "api", region: "us-west-2", images: [{ tags: ["1"] }] }));
    const ask = (region: string) => () => h.call("ecr", "DescribeImages", { repositoryName: "api" }, region);
    expect(ask("us-west-2")().imageDetails[0].imageTags).toEqual(["1"]);
    expect(ask("eu-west-1")).toThrow(expect.objectContaining({ code: "RepositoryNotFoundException" }));
  });
});
