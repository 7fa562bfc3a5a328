import { describe, expect, it } from "vitest";
import { type CanaryLaunch, runsOnFargate, runTaskInput, startTaskInput } from "../../src/engine/canary-start.js";

const network = {
  awsvpcConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" as const },
};
const launch = (source: CanaryLaunch["source"]): CanaryLaunch => ({
  cluster: "prod",
  service: "web",
  runId: "1234-1",
  taskDefinitionArn: "arn:aws:ecs:us-east-1:1:task-definition/web:42",
  source,
});

describe("runTaskInput", () => {
  it("launches the canary with the service's capacity provider strategy instead of a hard-coded FARGATE", () => {
    const input = runTaskInput(
      launch({
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        platformVersion: "1.4.0",
        networkConfiguration: network,
      }),
    );
    expect(input.capacityProviderStrategy).toEqual([{ capacityProvider: "FARGATE_SPOT", weight: 1 }]);
    expect(input.launchType).toBeUndefined();
    expect(input.platformVersion).toBe("1.4.0");
    expect(input.networkConfiguration).toEqual(network);
  });

  it("names the tool and the run, in one group per service, with a token that is the same on retry", () => {
    const a = runTaskInput(launch({ launchType: "FARGATE" }));
    const b = runTaskInput(launch({ launchType: "FARGATE" }));
    expect(a).toMatchObject({ group: "cage:canary-task:web", startedBy: "cage-action/1234-1", count: 1 });
    expect(a.tags).toContainEqual({ key: "cage:run", value: "1234-1" });
    expect(a.clientToken).toBe(b.clientToken);
    expect(a.clientToken).not.toBe(runTaskInput({ ...launch({ launchType: "FARGATE" }), runId: "1234-2" }).clientToken);
    expect(a.clientToken?.length).toBeLessThanOrEqual(64);
  });

  it("lets ECS place an EC2 canary with the service's placement constraints and strategy", () => {
    const input = runTaskInput(
      launch({
        launchType: "EC2",
        placementConstraints: [{ type: "distinctInstance" }],
        placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
        platformVersion: "LATEST",
      }),
    );
    expect(input.launchType).toBe("EC2");
    expect(input.placementConstraints).toEqual([{ type: "distinctInstance" }]);
    expect(input.placementStrategy).toHaveLength(1);
    expect(input.platformVersion).toBeUndefined();
  });

  it("keeps placement settings off Fargate, where ECS rejects them", () => {
    const input = runTaskInput(launch({ launchType: "FARGATE", placementConstraints: [{ type: "distinctInstance" }] }));
    expect(input.placementConstraints).toBeUndefined();
  });
});

describe("startTaskInput", () => {
  it("starts the canary on the given container instance with the same names", () => {
    const input = startTaskInput(launch({ launchType: "EC2" }), "arn:aws:ecs:us-east-1:1:container-instance/prod/abc");
    expect(input).toMatchObject({
      containerInstances: ["arn:aws:ecs:us-east-1:1:container-instance/prod/abc"],
      group: "cage:canary-task:web",
      startedBy: "cage-action/1234-1",
    });
  });
});

describe("runsOnFargate", () => {
  it.each([
    [{ launchType: "FARGATE" as const }, true],
    [{ launchType: "EC2" as const }, false],
    [{ capacityProviderStrategy: [{ capacityProvider: "FARGATE" }, { capacityProvider: "FARGATE_SPOT" }] }, true],
    [{ capacityProviderStrategy: [{ capacityProvider: "my-asg-provider" }] }, false],
  ])("%j → %s", (source, fargate) => {
    expect(runsOnFargate(source)).toBe(fargate);
  });
});
