import type { CreateServiceRequest, Service } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { planRollback, planUpdate, UPDATABLE_FIELDS } from "../../src/engine/service-update.js";

const target = { region: "us-east-1", cluster: "prod", service: "web" };
const td = "arn:aws:ecs:us-east-1:1:task-definition/web:42";
const live: Service = {
  serviceName: "web",
  taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/web:41",
  desiredCount: 2,
  launchType: "FARGATE",
  healthCheckGracePeriodSeconds: 0,
  serviceRegistries: [{ registryArn: "arn:sd/web" }],
  loadBalancers: [{ targetGroupArn: "arn:tg/web", containerName: "app", containerPort: 8080 }],
  tags: [{ key: "team", value: "a" }],
};

describe("planUpdate", () => {
  it("changes only the task definition by default", () => {
    expect(planUpdate(target, td, live).input).toEqual({ cluster: "prod", service: "web", taskDefinition: td });
  });

  it("with update-service sends every updatable field service.json sets", () => {
    const file: CreateServiceRequest = {
      serviceName: "web",
      desiredCount: 4,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      healthCheckGracePeriodSeconds: 30,
      enableExecuteCommand: true,
      propagateTags: "SERVICE",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      loadBalancers: live.loadBalancers,
      serviceRegistries: live.serviceRegistries,
    };
    const plan = planUpdate(target, td, live, file);
    expect(plan.input).toMatchObject({
      taskDefinition: td,
      desiredCount: 4,
      deploymentConfiguration: file.deploymentConfiguration,
      healthCheckGracePeriodSeconds: 30,
      enableExecuteCommand: true,
      propagateTags: "SERVICE",
      capacityProviderStrategy: file.capacityProviderStrategy,
    });
    expect(plan.notices).toEqual([]);
  });

  it("removes lists service.json no longer has, and says so", () => {
    const plan = planUpdate(target, td, live, { serviceName: "web", loadBalancers: live.loadBalancers });
    expect(plan.input.serviceRegistries).toEqual([]);
    expect(plan.notices).toContainEqual(expect.stringContaining("removes the service's serviceRegistries"));
  });

  it("reports fields an update cannot change instead of dropping them silently", () => {
    const plan = planUpdate(target, td, live, {
      serviceName: "web",
      launchType: "EC2",
      loadBalancers: live.loadBalancers,
      serviceRegistries: live.serviceRegistries,
      tags: [{ key: "team", value: "b" }],
    });
    expect(plan.notices).toEqual([
      expect.stringContaining("launchType FARGATE → EC2"),
      expect.stringContaining("tags team"),
    ]);
    expect(plan.input).not.toHaveProperty("launchType");
    expect(plan.input).not.toHaveProperty("tags");
  });

  it("covers the fields CreateService and UpdateService share", () => {
    expect(UPDATABLE_FIELDS).toEqual(
      expect.arrayContaining([
        "desiredCount",
        "serviceConnectConfiguration",
        "volumeConfigurations",
        "platformVersion",
      ]),
    );
  });
});

describe("planRollback", () => {
  it("puts back the previous task definition and the previous values of every field the update sent", () => {
    const plan = planUpdate(target, td, live, {
      serviceName: "web",
      desiredCount: 4,
      loadBalancers: live.loadBalancers,
    });
    const input = planRollback(target, live, plan);
    expect(input).toMatchObject({
      taskDefinition: live.taskDefinition,
      desiredCount: 2,
      serviceRegistries: live.serviceRegistries,
    });
  });
});

describe.each(["BLUE_GREEN", "LINEAR", "CANARY"] as const)("planUpdate on a %s service", (strategy) => {
  const native: Service = { ...live, deploymentConfiguration: { strategy, bakeTimeInMinutes: 5 } };

  it("never sends loadBalancers or vpcLatticeConfigurations, and says so when service.json has them", () => {
    const file: CreateServiceRequest = {
      serviceName: "web",
      desiredCount: 4,
      loadBalancers: live.loadBalancers,
      vpcLatticeConfigurations: [{ roleArn: "r", targetGroupArn: "arn:tg/lattice", portName: "http" }],
    };
    const plan = planUpdate(target, td, native, file);
    expect(plan.input).toMatchObject({ taskDefinition: td, desiredCount: 4 });
    expect(plan.input).not.toHaveProperty("loadBalancers");
    expect(plan.input).not.toHaveProperty("vpcLatticeConfigurations");
    expect(plan.fields).not.toContain("loadBalancers");
    expect(plan.notices.filter((n) => n.includes("was not sent")).length).toBe(2);
    expect(plan.notices[0]).toContain(`on a ${strategy} service`);
  });

  it("warns when service.json's deploymentConfiguration would switch the strategy", () => {
    const plan = planUpdate(target, td, native, {
      serviceName: "web",
      deploymentConfiguration: { maximumPercent: 200 },
    });
    expect(plan.notices).toContain(
      `service.json's deploymentConfiguration says strategy ROLLING, but the service deploys with ${strategy}: the update switches it. Set deploymentConfiguration.strategy to ${strategy} in service.json to keep it.`,
    );
    const same = { serviceName: "web", deploymentConfiguration: { strategy } };
    expect(planUpdate(target, td, native, same).notices.filter((n) => n.includes("strategy"))).toEqual([]);
  });

  it("does not clear the live load balancers when service.json has none", () => {
    const plan = planUpdate(target, td, native, { serviceName: "web" });
    expect(plan.input).not.toHaveProperty("loadBalancers");
    expect(planRollback(target, native, plan)).not.toHaveProperty("loadBalancers");
  });
});
