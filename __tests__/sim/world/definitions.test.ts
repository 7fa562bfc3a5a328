import { describe, expect, it } from "vitest";
import { Harness, SUBNETS } from "./harness.js";

describe("task definitions and clusters", () => {
  it("registers revisions per family, lists them, and deregisters one", () => {
    const h = Harness.demo();
    const v2 = h.registerWeb("v2");
    expect(v2).toBe("arn:aws:ecs:us-east-1:123456789012:task-definition/web:2");
    expect(h.call("ecs", "ListTaskDefinitions", { familyPrefix: "web" }).taskDefinitionArns).toHaveLength(2);
    const out = h.call("ecs", "DeregisterTaskDefinition", { taskDefinition: "web:2" }).taskDefinition;
    expect(out.status).toBe("INACTIVE");
    expect(h.call("ecs", "DescribeTaskDefinition", { taskDefinition: "web" }).taskDefinition.revision).toBe(1);
    expect(h.call("ecs", "ListTaskDefinitions", { status: "INACTIVE" }).taskDefinitionArns).toEqual([v2]);
    expect(() => h.runCanary(v2)).toThrow(expect.objectContaining({ code: "ClientException" }));
    expect(() => h.call("ecs", "DescribeTaskDefinition", { taskDefinition: "api" })).toThrow(
      expect.objectContaining({ code: "ClientException" }),
    );
  });

  it.each([
    [{ family: "x", containerDefinitions: [] }, "Container list cannot be empty."],
    [{ family: "x", containerDefinitions: [{ name: "a" }] }, "Container.image should not be null or empty."],
    [
      { family: "x", requiresCompatibilities: ["FARGATE"], containerDefinitions: [{ name: "a", image: "b" }] },
      "Fargate requires that 'cpu' be defined at the task level.",
    ],
  ])("rejects a task definition that ECS rejects: %j", (input, message) => {
    const h = Harness.demo();
    expect(() => h.call("ecs", "RegisterTaskDefinition", input)).toThrow(message);
  });

  it("creates and describes clusters, with MISSING for unknown ones", () => {
    const h = Harness.demo();
    h.call("ecs", "CreateCluster", { clusterName: "staging", tags: [{ key: "env", value: "staging" }] });
    const out = h.call("ecs", "DescribeClusters", { clusters: ["production", "staging", "qa"] });
    expect(out.clusters.map((c: any) => [c.clusterName, c.runningTasksCount, c.activeServicesCount])).toEqual([
      ["production", 2, 1],
      ["staging", 0, 0],
    ]);
    expect(out.failures).toEqual([{ arn: "arn:aws:ecs:us-east-1:123456789012:cluster/qa", reason: "MISSING" }]);
    const staging = out.clusters[1].clusterArn;
    h.call("ecs", "TagResource", { resourceArn: staging, tags: [{ key: "team", value: "a" }] });
    expect(h.call("ecs", "ListTagsForResource", { resourceArn: staging }).tags).toHaveLength(2);
  });

  it("fails placement on CPU when the instances have memory but not CPU", () => {
    const h = Harness.demo("placement-memory");
    h.call("ecs", "RegisterTaskDefinition", {
      family: "cruncher",
      networkMode: "awsvpc",
      cpu: "4096",
      memory: "1024",
      containerDefinitions: [{ name: "app", image: "busybox" }],
    });
    const run = h.call("ecs", "RunTask", {
      cluster: "production",
      taskDefinition: "cruncher",
      launchType: "EC2",
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS } },
    });
    expect(run.failures.map((f: any) => f.reason)).toEqual(["RESOURCE:CPU", "RESOURCE:CPU"]);
  });
});
