import { ECSClient, ListServiceDeploymentsCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { createSimulator, SIM_ENDPOINT, type WorldLike } from "../../../src/sim/simulator.js";
import { World } from "../../../src/sim/world/index.js";
import { demoJson, REPO } from "./harness.js";

/** The demo world with web:2 (the app at v2) and the web service declared in the middle of deploying it. */
function deployingWorld(variant?: string, startedSecondsAgo = 10) {
  const json = demoJson() as any;
  const v2 = structuredClone(json.taskDefinitions.find((t: any) => t.family === "web"));
  v2.containerDefinitions = v2.containerDefinitions.map((c: any) =>
    c.name === "app" ? { ...c, image: `${REPO}:v2` } : c,
  );
  json.taskDefinitions.push(v2);
  json.services[0].deployment = { taskDefinition: "web:2", startedSecondsAgo };
  const sim = createSimulator({
    world: (clock) =>
      World.fromJson(json, "deploying.json", { clock, ...(variant ? { variant } : {}) }) as unknown as WorldLike,
  });
  const ecs = new ECSClient({
    region: "us-east-1",
    endpoint: SIM_ENDPOINT,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: sim.requestHandler,
  });
  const deployments = async () =>
    (await ecs.send(new ListServiceDeploymentsCommand({ cluster: "production", service: "web" }))).serviceDeployments ??
    [];
  return { sim, aws: sim.ports("us-east-1", { maxAttempts: 1 }), deployments };
}

const web = { cluster: "production", services: ["web"] };
const revision = (arn: string | undefined) => arn?.split("/").at(-1);

describe("a world file with a service in the middle of a deployment", () => {
  it("loads deploying: a PRIMARY deployment in progress with its first tasks, the old one ACTIVE with its tasks", async () => {
    const { aws } = deployingWorld();
    const svc = (await aws.ecs.describeServices(web)).services?.[0];
    expect(svc?.deployments?.map((d) => [d.status, revision(d.taskDefinition), d.rolloutState])).toEqual([
      ["PRIMARY", "web:2", "IN_PROGRESS"],
      ["ACTIVE", "web:1", "COMPLETED"],
    ]);
    expect(svc?.deployments?.map((d) => [d.runningCount, d.pendingCount])).toEqual([
      [0, 2],
      [2, 0],
    ]);
    const arns = (await aws.ecs.listTasks({ cluster: "production", serviceName: "web" })).taskArns ?? [];
    const tasks = (await aws.ecs.describeTasks({ cluster: "production", tasks: arns })).tasks ?? [];
    const running = (status: string | undefined) => status === "RUNNING";
    expect(tasks.map((t) => [revision(t.taskDefinitionArn), running(t.lastStatus)]).sort()).toEqual([
      ["web:1", true],
      ["web:1", true],
      ["web:2", false],
      ["web:2", false],
    ]);
  });

  it("then completes the deployment as ECS would", async () => {
    const { sim, aws, deployments } = deployingWorld();
    const started = sim.clock.now();
    let svc = (await aws.ecs.describeServices(web)).services?.[0];
    while (svc?.deployments?.length !== 1) {
      await sim.clock.sleep(15_000);
      svc = (await aws.ecs.describeServices(web)).services?.[0];
    }
    expect(sim.clock.now() - started).toBeLessThan(10 * 60_000);
    expect(revision(svc.taskDefinition)).toBe("web:2");
    expect(svc.deployments?.[0]).toMatchObject({ status: "PRIMARY", rolloutState: "COMPLETED", runningCount: 2 });
    expect((await deployments()).map((d) => d.status)).toEqual(["SUCCESSFUL", "SUCCESSFUL"]);
  });

  it("or fails it with the circuit breaker and rolls back when the new image crashes", async () => {
    const { sim, aws, deployments } = deployingWorld("crash", 0);
    let svc = (await aws.ecs.describeServices(web)).services?.[0];
    expect(svc?.deployments?.[0]).toMatchObject({ status: "PRIMARY", rolloutState: "IN_PROGRESS" });
    while (svc?.deployments?.length !== 1) {
      await sim.clock.sleep(15_000);
      svc = (await aws.ecs.describeServices(web)).services?.[0];
    }
    expect(revision(svc.taskDefinition)).toBe("web:1");
    expect(svc.deployments?.[0]).toMatchObject({ rolloutState: "COMPLETED", runningCount: 2 });
    expect((await deployments())[0]?.status).toBe("ROLLBACK_SUCCESSFUL");
  });
});
