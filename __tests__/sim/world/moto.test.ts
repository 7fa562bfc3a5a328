import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../../src/sim/simulator.js";
import { type SimServer, startHttpServer } from "../../../src/sim/transport/http.js";
import { World } from "../../../src/sim/world/index.js";
import { type BotoCall, boto, hasBoto3, hasMoto, shapeOf, startMoto } from "../conformance/tools.js";
import { demoJson } from "./harness.js";

const pageTokens = new Set(["NextMarker", "NextToken", "nextToken"]);

/** Paths (and their types) the world returns that moto, serialising from botocore's models, does not. */
function extraPaths(ours: unknown, theirs: unknown): string[] {
  const a = shapeOf(ours);
  const b = shapeOf(theirs);
  const insideEmptyList = (path: string) =>
    [...path.matchAll(/\[\]/g)].some((m) => {
      const list = path.slice(0, m.index);
      return b.get(list) === "list" && !b.has(`${list}[]`);
    });
  return [...a]
    .filter(([path]) => !pageTokens.has(path) && !insideEmptyList(path))
    .filter(([path, type]) => b.has(path) && b.get(path) !== type)
    .map(([path, type]) => `${path}: ${type} (moto: ${b.get(path)})`);
}

describe.skipIf(!hasMoto || !hasBoto3)("the demo world's read responses have moto's keys and types", () => {
  let sim: SimServer;
  let moto: { url: string; stop(): void };
  beforeAll(async () => {
    sim = await startHttpServer(createSimulator({ world: (c) => World.fromJson(demoJson(), "demo", { clock: c }) }), {
      port: 0,
    });
    moto = await startMoto();
  });
  afterAll(async () => {
    moto?.stop();
    await sim?.close();
  });

  it("returns every key moto returns, with the same types", async () => {
    const [vpc] = await boto(moto.url, [{ service: "ec2", op: "create_vpc", params: { CidrBlock: "10.0.0.0/16" } }]);
    const vpcId = (vpc as any).result.Vpc.VpcId;
    const setup = await boto(moto.url, [
      {
        service: "ec2",
        op: "create_subnet",
        params: { VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
      },
      {
        service: "ec2",
        op: "create_subnet",
        params: { VpcId: vpcId, CidrBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b" },
      },
      { service: "ec2", op: "create_security_group", params: { GroupName: "web", Description: "web", VpcId: vpcId } },
      {
        service: "elbv2",
        op: "create_target_group",
        params: { Name: "web-tg", Protocol: "HTTP", Port: 8080, VpcId: vpcId, TargetType: "ip" },
      },
      { service: "ecs", op: "create_cluster", params: { clusterName: "production" } },
      { service: "ecs", op: "register_task_definition", params: (demoJson() as any).taskDefinitions[0] },
      { service: "ecr", op: "create_repository", params: { repositoryName: "web" } },
    ]);
    const subnets = setup.slice(0, 2).map((s: any) => s.result.Subnet.SubnetId);
    const groupId = (setup[2] as any).result.GroupId;
    await boto(moto.url, [
      {
        service: "ec2",
        op: "authorize_security_group_ingress",
        params: {
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: groupId }] },
          ],
        },
      },
      {
        service: "elbv2",
        op: "create_load_balancer",
        params: { Name: "web-alb", Subnets: subnets, SecurityGroups: [groupId] },
      },
      {
        service: "ecs",
        op: "create_service",
        params: {
          cluster: "production",
          serviceName: "web",
          taskDefinition: "web",
          desiredCount: 2,
          launchType: "FARGATE",
          networkConfiguration: {
            awsvpcConfiguration: { subnets, securityGroups: [groupId], assignPublicIp: "DISABLED" },
          },
          deploymentConfiguration: {
            minimumHealthyPercent: 100,
            maximumPercent: 200,
            deploymentCircuitBreaker: { enable: true, rollback: true },
          },
        },
      },
    ]);
    const reads = (ids: { subnet: string; group: string }): BotoCall[] => [
      { service: "ec2", op: "describe_subnets", params: { SubnetIds: [ids.subnet] } },
      { service: "ec2", op: "describe_security_groups", params: { GroupIds: [ids.group] } },
      { service: "ec2", op: "describe_vpcs" },
      { service: "elbv2", op: "describe_target_groups", params: { Names: ["web-tg"] } },
      { service: "elbv2", op: "describe_load_balancers", params: { Names: ["web-alb"] } },
      { service: "ecs", op: "describe_clusters", params: { clusters: ["production"] } },
      { service: "ecs", op: "describe_task_definition", params: { taskDefinition: "web" } },
      { service: "ecr", op: "describe_repositories", params: { repositoryNames: ["web"] } },
      { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
    ];
    const ours = await boto(sim.url, reads({ subnet: "subnet-0a1b2c3d4e5f60001", group: "sg-0123456789abcdef0" }));
    const theirs = await boto(moto.url, reads({ subnet: subnets[0], group: groupId }));
    reads({ subnet: "", group: "" }).forEach((call, i) => {
      const a = ours[i] as { result?: unknown };
      const b = theirs[i] as { result?: unknown };
      expect(a.result, `simulator ${call.op}: ${JSON.stringify(ours[i])}`).toBeDefined();
      expect(b.result, `moto ${call.op}: ${JSON.stringify(theirs[i])}`).toBeDefined();
      expect(extraPaths(a.result, b.result), call.op).toEqual([]);
      const mine = shapeOf(a.result);
      expect(
        [...shapeOf(b.result).keys()].filter((k) => !mine.has(k)),
        `${call.op}: keys moto has`,
      ).toEqual([]);
    });
  });
});
