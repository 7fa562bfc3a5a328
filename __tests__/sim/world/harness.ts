/** Drives a World's operations directly, with a clock the test moves. */
import { readFileSync } from "node:fs";
import type { ServiceId } from "../../../src/sim/types.js";
import type { World } from "../../../src/sim/world/index.js";
import { WorldBuilder } from "../../../src/sim/world/index.js";

export const DEMO_PATH = new URL("../../../deploy-example/world.json", import.meta.url).pathname;
export const demoJson = (): unknown => JSON.parse(readFileSync(DEMO_PATH, "utf8"));

export const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web";
export const TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
export const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
export const TASK_SG = "sg-0123456789abcdef0";
export const T0 = Date.parse("2026-11-25T12:00:00Z");

export class Harness {
  time = T0;
  readonly world: World;

  constructor(builder: WorldBuilder) {
    this.world = builder.build({ now: () => this.time });
  }

  static demo(variant?: string, change?: (b: WorldBuilder) => WorldBuilder): Harness {
    const builder = WorldBuilder.from(demoJson(), variant);
    return new Harness(change ? change(builder) : builder);
  }

  call<T = any>(service: ServiceId, op: string, input: object = {}, region = "us-east-1"): T {
    const handler = this.world.operations[service]?.[op];
    if (!handler) throw new Error(`no ${service}.${op}`);
    return handler(input, { now: this.time, region, accountId: "123456789012", requestId: "r" }) as T;
  }

  advance(seconds: number): void {
    this.time += seconds * 1000;
  }

  /** Registers the demo's task definition with `tag` as the app image, as the engine would. */
  /** `tag` may also be a digest (sha256:…), giving `web@sha256:…`. */
  registerWeb(tag: string): string {
    const current = this.call("ecs", "DescribeTaskDefinition", { taskDefinition: "web" }).taskDefinition;
    const input = registrationOf(current);
    input.containerDefinitions = input.containerDefinitions.map((c: any) =>
      c.name === "app" ? { ...c, image: tag.startsWith("sha256:") ? `${REPO}@${tag}` : `${REPO}:${tag}` } : c,
    );
    return this.call("ecs", "RegisterTaskDefinition", input).taskDefinition.taskDefinitionArn;
  }

  runCanary(taskDefinition: string, extra: object = {}) {
    return this.call("ecs", "RunTask", {
      cluster: "production",
      taskDefinition,
      launchType: "FARGATE",
      group: "cage:canary",
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG] } },
      ...extra,
    });
  }

  task(arn: string): any {
    return this.call("ecs", "DescribeTasks", { cluster: "production", tasks: [arn] }).tasks[0];
  }

  ipOf(task: any): string {
    return task.attachments[0].details.find((d: any) => d.name === "privateIPv4Address").value;
  }

  health(id: string, port = 8080): any {
    return this.call("elbv2", "DescribeTargetHealth", { TargetGroupArn: TG_ARN, Targets: [{ Id: id, Port: port }] })
      .TargetHealthDescriptions[0].TargetHealth;
  }

  service(): any {
    return this.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];
  }
}

/** What RegisterTaskDefinition takes back from a DescribeTaskDefinition answer: without the fields ECS adds. */
export function registrationOf<T extends Record<string, any>>(described: T) {
  const {
    taskDefinitionArn,
    revision,
    status,
    registeredAt,
    registeredBy,
    compatibilities,
    requiresAttributes,
    ...input
  } = described;
  return input;
}
