import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { World, WorldFileError } from "../../../src/sim/world/index.js";
import { DEMO_PATH, demoJson, T0 } from "./harness.js";

const clock = { now: () => T0 };

function problemsOf(change: (w: any) => void, variant?: string): string[] {
  const json = demoJson() as any;
  change(json);
  try {
    World.fromJson(json, "worlds/bad.json", { clock, variant });
  } catch (e) {
    expect(e).toBeInstanceOf(WorldFileError);
    expect((e as Error).message).toContain("worlds/bad.json");
    return (e as WorldFileError).problems;
  }
  throw new Error("the world loaded");
}

describe("world file validation", () => {
  it.each([
    [
      "an unknown key, with a suggestion",
      (w: any) => {
        w.services[0].desiredCont = 2;
      },
      '$.services[0].desiredCont: unknown key (did you mean "desiredCount"?)',
    ],
    [
      "a wrong type",
      (w: any) => {
        w.targetGroups[0].port = "8080";
      },
      '$.targetGroups[0].port: expected an integer, got "8080"',
    ],
    [
      "a value outside its enum",
      (w: any) => {
        w.images.x = { appHealthCheck: "ok" };
      },
      '$.images.x.appHealthCheck: must be one of "pass", "mismatch", "timeout", got "ok"',
    ],
    [
      "a missing required key",
      (w: any) => {
        delete w.subnets[0].cidrBlock;
      },
      '$.subnets[0]: missing required key "cidrBlock"',
    ],
    [
      "a service in a cluster that does not exist",
      (w: any) => {
        w.services[0].cluster = "staging";
      },
      '$.services[0].cluster: cluster "staging" is not declared in clusters',
    ],
    [
      "a target group that does not exist",
      (w: any) => {
        w.services[0].loadBalancers[0].targetGroup = "api-tg";
      },
      '$.services[0].loadBalancers[0].targetGroup: target group "api-tg" is not declared in targetGroups',
    ],
    [
      "a subnet in an unknown VPC",
      (w: any) => {
        w.subnets[1].vpcId = "vpc-1";
      },
      '$.subnets[1].vpcId: VPC "vpc-1" is not declared in vpcs',
    ],
    [
      "an unknown task definition revision",
      (w: any) => {
        w.services[0].taskDefinition = "web:7";
      },
      '$.services[0].taskDefinition: task definition "web:7" is not declared in taskDefinitions',
    ],
    [
      "a deployment to an unknown task definition",
      (w: any) => {
        w.services[0].deployment = { taskDefinition: "web:2" };
      },
      '$.services[0].deployment.taskDefinition: task definition "web:2" is not declared in taskDefinitions',
    ],
    [
      "an unknown key in a deployment",
      (w: any) => {
        w.services[0].deployment = { taskDefinition: "web:1", startedSecondAgo: 20 };
      },
      '$.services[0].deployment.startedSecondAgo: unknown key (did you mean "startedSecondsAgo"?)',
    ],
    [
      "a deployment that has finished by load",
      (w: any) => {
        w.services[0].deployment = { taskDefinition: "web:1", startedSecondsAgo: 1800 };
      },
      "$.services[0].deployment.startedSecondsAgo: the deployment completed before the world loaded; give a smaller startedSecondsAgo for a service still deploying",
    ],
    [
      "a fixed ARN of another region than the world's",
      (w: any) => {
        w.region = "eu-west-1";
      },
      '$.targetGroups[0].arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09" names region us-east-1 and account 123456789012, but the world is in eu-west-1, account 123456789012',
    ],
    [
      "a desired count beyond ECS's quota",
      (w: any) => {
        w.services[0].desiredCount = 5001;
      },
      "$.services[0].desiredCount: must be at most 5000, got 5001",
    ],
    [
      "a task definition ECS refuses",
      (w: any) => {
        w.taskDefinitions[0].runtimePlatform = { cpuArchitecture: "RISCV" };
      },
      "$.taskDefinitions[0]: ClientException: 1 validation error detected: Value 'RISCV' at 'runtimePlatform.cpuArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [ARM64, X86_64]",
    ],
  ])("rejects %s with its JSON path", (_name, change, expected) => {
    expect(problemsOf(change)).toContain(expected);
  });

  it("checks variants against the schema and suggests a known variant name", () => {
    expect(
      problemsOf((w) => {
        w.variants.crash.images.x = { exitAfter: 3 };
      }),
    ).toContain('$.variants.crash.images.x.exitAfter: unknown key (did you mean "exitAfterSeconds"?)');
    expect(problemsOf(() => {}, "crahs")[0]).toMatch(/no variant "crahs" \(did you mean "crash"\?\)/);
  });

  it("loads every variant of the demo world", () => {
    const names = Object.keys((demoJson() as any).variants);
    expect(names.length).toBeGreaterThan(10);
    for (const variant of names) expect(() => World.fromFile(`${DEMO_PATH}#${variant}`, { clock })).not.toThrow();
  });

  it("names the file when it is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "world-"));
    const path = join(dir, "broken.json");
    writeFileSync(path, "{ nope");
    expect(() => World.fromFile(path, { clock })).toThrow(/broken\.json is not valid:\n {2}- \$: not valid JSON/);
  });

  it("passes iamPolicy and faults through and snapshots the whole world with now", () => {
    const json = demoJson() as any;
    json.iamPolicy = { Version: "2012-10-17", Statement: [] };
    json.faults = [{ service: "ecs", operation: "DescribeTasks", effect: "throttle", count: 1 }];
    const world = World.fromJson(json, "demo", { clock });
    expect(world.iamPolicy).toEqual(json.iamPolicy);
    expect(world.faults).toEqual(json.faults);
    const snap = world.snapshot() as any;
    expect(snap.now).toBe(new Date(T0).toISOString());
    expect(snap.services[0].serviceName).toBe("web");
    expect(snap.tasks).toHaveLength(2);
    expect(snap.targetGroups[0].TargetHealthDescriptions).toHaveLength(2);
  });
});
