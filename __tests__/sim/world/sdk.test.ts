import { describe, expect, it } from "vitest";
import type { AwsPorts } from "../../../src/aws/ports.js";
import { createSimulator, type Simulator } from "../../../src/sim/simulator.js";
import { World } from "../../../src/sim/world/index.js";
import { demoJson, REPO, registrationOf, SUBNETS, TASK_SG, TG_ARN } from "./harness.js";

function simulate(variant?: string): { sim: Simulator; ports: AwsPorts } {
  const sim = createSimulator({
    world: (clock) =>
      World.fromJson(demoJson(), "deploy-example/world.json", { clock, ...(variant ? { variant } : {}) }),
  });
  return { sim, ports: sim.ports("us-east-1") };
}

async function pollUntil<T>(
  sim: Simulator,
  every: number,
  read: () => Promise<T>,
  done: (v: T) => boolean,
): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await sim.clock.sleep(every);
  }
}

async function registerV2(ports: AwsPorts): Promise<string> {
  const { taskDefinition } = await ports.ecs.describeTaskDefinition({ taskDefinition: "web" });
  const input = registrationOf(taskDefinition!);
  const containerDefinitions = input.containerDefinitions!.map((c) =>
    c.name === "app" ? { ...c, image: `${REPO}:v2` } : c,
  );
  const out = await ports.ecs.registerTaskDefinition({ ...input, family: "web", containerDefinitions });
  return out.taskDefinition!.taskDefinitionArn!;
}

/** The canary steps a rollout tool takes: run, wait RUNNING, register, wait healthy. */
async function canary(sim: Simulator, ports: AwsPorts, td: string) {
  const run = await ports.ecs.runTask({
    cluster: "production",
    taskDefinition: td,
    launchType: "FARGATE",
    networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG] } },
  });
  const arn = run.tasks![0]!.taskArn!;
  const task = await pollUntil(
    sim,
    6000,
    async () => (await ports.ecs.describeTasks({ cluster: "production", tasks: [arn] })).tasks![0]!,
    (t) => t.lastStatus === "RUNNING" || t.lastStatus === "STOPPED",
  );
  if (task.lastStatus === "STOPPED") return { task, health: undefined };
  const ip = task.attachments![0]!.details!.find((d) => d.name === "privateIPv4Address")!.value!;
  await ports.elbv2.registerTargets({ TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
  const health = await pollUntil(
    sim,
    10_000,
    async () =>
      (await ports.elbv2.describeTargetHealth({ TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] }))
        .TargetHealthDescriptions![0]!.TargetHealth!,
    (h) => h.State === "healthy" || h.State === "unhealthy",
  );
  return { task, health };
}

describe("the world through the real SDK, in-process", () => {
  it("takes a passing canary to healthy and the service to a completed rollout", async () => {
    const { sim, ports } = simulate();
    const started = sim.clock.now();
    const td = await registerV2(ports);
    const { task, health } = await canary(sim, ports, td);
    expect(task.startedAt).toBeInstanceOf(Date);
    expect(health).toEqual({ State: "healthy" });
    await ports.ecs.updateService({ cluster: "production", service: "web", taskDefinition: td });
    const svc = await pollUntil(
      sim,
      15_000,
      async () => (await ports.ecs.describeServices({ cluster: "production", services: ["web"] })).services![0]!,
      (s) => s.deployments!.length === 1 && s.runningCount === s.desiredCount,
    );
    expect(svc.taskDefinition).toBe(td);
    expect(svc.deployments![0]!.rolloutState).toBe("COMPLETED");
    expect(sim.clock.now() - started).toBeGreaterThan(60_000);
  });

  it.each([
    ["target-unhealthy", "Target.ResponseCodeMismatch"],
    ["security-group-blocks", "Target.Timeout"],
  ])("reports the canary unhealthy in %s", async (variant, reason) => {
    const { sim, ports } = simulate(variant);
    const { health } = await canary(sim, ports, await registerV2(ports));
    expect(health).toMatchObject({ State: "unhealthy", Reason: reason });
  });

  it("shows a stopped canary's reason when the image cannot be pulled", async () => {
    const { sim, ports } = simulate("pull-error");
    const { task } = await canary(sim, ports, await registerV2(ports));
    expect(task.stopCode).toBe("TaskFailedToStart");
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError/);
  });

  it("looks stable on the old revision after the circuit breaker rolls back a crashing image", async () => {
    const { sim, ports } = simulate("crash");
    const td = await registerV2(ports);
    await ports.ecs.updateService({ cluster: "production", service: "web", taskDefinition: td });
    await sim.clock.sleep(15 * 60_000);
    const svc = (await ports.ecs.describeServices({ cluster: "production", services: ["web"] })).services![0]!;
    expect(svc.deployments).toHaveLength(1);
    expect(svc.runningCount).toBe(2);
    expect(svc.taskDefinition).not.toBe(td);
    const list = await ports.ecs.listTasks({ cluster: "production", serviceName: "web", desiredStatus: "STOPPED" });
    expect(list.taskArns!.length).toBeGreaterThanOrEqual(3);
  });

  it("pages ECR findings through the SDK", async () => {
    const { ports } = simulate("enhanced-2000");
    const ecr = ports.ecrIn("us-east-1");
    const out = await ecr.describeImageScanFindings({
      repositoryName: "web",
      imageId: { imageTag: "v2" },
      maxResults: 1000,
    });
    expect(out.imageScanFindings!.enhancedFindings).toHaveLength(1000);
    expect(out.nextToken).toBeTruthy();
    const images = await ecr.describeImages({ repositoryName: "web" });
    expect(images.imageDetails!.map((d) => d.imageTags)).toEqual([["v1"], ["v2"]]);
  });
});
