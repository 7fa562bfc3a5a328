/** The wire layer driving the real world (deploy-example/world.json) through the SDK ports, in-process. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadWorldJson } from "../../src/sim/serve.js";
import { createSimulator } from "../../src/sim/simulator.js";

const demo = JSON.parse(readFileSync(new URL("../../deploy-example/world.json", import.meta.url), "utf8"));
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";

function demoSimulator(variant?: string) {
  const sim = createSimulator({ world: (clock) => loadWorldJson(demo, "deploy-example/world.json", clock, variant) });
  return { sim, ports: sim.ports("us-east-1", { maxAttempts: 1 }) };
}

describe("the demo world over the wire", () => {
  it("shows the running service, its tasks' ENI addresses and healthy targets", async () => {
    const { ports } = demoSimulator();
    const { services } = await ports.ecs.describeServices({ cluster: "production", services: ["web"] });
    expect(services?.[0]).toMatchObject({ serviceName: "web", desiredCount: 2, runningCount: 2, status: "ACTIVE" });
    const { taskArns } = await ports.ecs.listTasks({ cluster: "production", serviceName: "web" });
    const { tasks } = await ports.ecs.describeTasks({ cluster: "production", tasks: taskArns ?? [] });
    expect(tasks?.map((t) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    const ips = tasks?.map((t) => t.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value);
    const ip = expect.stringMatching(/^10\.0\.[12]\.\d+$/);
    expect(ips).toEqual([ip, ip]);
    const health = await ports.elbv2.describeTargetHealth({ TargetGroupArn: TG });
    expect(health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State]).sort()).toEqual(
      ips?.map((ip) => [ip, "healthy"]).sort(),
    );
  });

  it("rolls the service to a new revision in simulated time, and the journal shows every mutation", async () => {
    const { sim, ports } = demoSimulator();
    const { taskDefinition } = await ports.ecs.describeTaskDefinition({ taskDefinition: "web:1" });
    const containers = taskDefinition!.containerDefinitions!.map((c) => ({
      ...c,
      image: c.image?.replace(":v1", ":v2"),
    }));
    const registered = await ports.ecs.registerTaskDefinition({
      family: "web",
      networkMode: taskDefinition!.networkMode,
      requiresCompatibilities: taskDefinition!.requiresCompatibilities,
      cpu: taskDefinition!.cpu,
      memory: taskDefinition!.memory,
      executionRoleArn: taskDefinition!.executionRoleArn,
      containerDefinitions: containers,
    });
    const arn = registered.taskDefinition!.taskDefinitionArn!;
    await ports.ecs.updateService({ cluster: "production", service: "web", taskDefinition: arn });
    const start = sim.clock.now();
    for (;;) {
      const { services } = await ports.ecs.describeServices({ cluster: "production", services: ["web"] });
      const s = services![0]!;
      if (s.deployments?.length === 1 && s.deployments[0]?.rolloutState === "COMPLETED") {
        expect(s.taskDefinition).toBe(arn);
        break;
      }
      expect(sim.clock.now() - start).toBeLessThan(30 * 60_000);
      await sim.clock.sleep(15_000);
    }
    expect(sim.clock.now() - start).toBeGreaterThan(0);
    expect(sim.journal.mutations().map((c) => c.operation)).toEqual(["RegisterTaskDefinition", "UpdateService"]);
  });

  it("answers the world's errors in each protocol's shape", async () => {
    const { ports } = demoSimulator();
    const ecs = await ports.ecs.describeServices({ cluster: "nope", services: ["web"] }).catch((e) => e);
    expect(ecs.name).toBe("ClusterNotFoundException");
    const elb = await ports.elbv2
      .describeTargetHealth({ TargetGroupArn: TG.replace("web-tg", "nope-tg") })
      .catch((e) => e);
    expect(elb.name).toBe("TargetGroupNotFoundException");
    const ec2 = await ports.ec2.describeSubnets({ SubnetIds: ["subnet-0000000000000dead"] }).catch((e) => e);
    expect(ec2.name).toBe("InvalidSubnetID.NotFound");
  });

  it("reads ECR scan findings with severity counts and dates", async () => {
    const { ports } = demoSimulator();
    const out = await ports
      .ecrIn("us-east-1")
      .describeImageScanFindings({ repositoryName: "web", imageId: { imageTag: "v1" } });
    expect(out.imageScanStatus?.status).toBe("COMPLETE");
    expect(out.imageScanFindings?.findingSeverityCounts).toEqual({ MEDIUM: 1 });
    expect(out.imageScanFindings?.findings?.[0]?.name).toBe("CVE-2023-5678");
    expect(out.imageScanFindings?.imageScanCompletedAt).toBeInstanceOf(Date);
  });

  it("enforces the world file's IAM policy and loads its fault rules", async () => {
    const json = {
      ...demo,
      iamPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ecs:Describe*"], Resource: "*" }] },
      faults: [{ service: "ecs", operation: "DescribeServices", effect: "throttle", count: 1 }],
    };
    const sim = createSimulator({ world: (clock) => loadWorldJson(json, "iam.json", clock) });
    const ports = sim.ports("us-east-1", { maxAttempts: 2 });
    const { services } = await ports.ecs.describeServices({ cluster: "production", services: ["web"] });
    expect(services?.[0]?.serviceName).toBe("web");
    const denied = await ports.ecs.listTasks({ cluster: "production" }).catch((e) => e);
    expect(denied.name).toBe("AccessDeniedException");
    expect(denied.message).toContain("ecs:ListTasks");
    expect(sim.journal.calls().map((c) => [c.operation, c.status, c.errorCode])).toEqual([
      ["DescribeServices", 400, "ThrottlingException"],
      ["DescribeServices", 200, undefined],
      ["ListTasks", 400, "AccessDeniedException"],
    ]);
  });
});
