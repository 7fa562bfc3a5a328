/**
 * moto_server as an independent reference for response shapes: the same read-only calls against moto and the
 * simulator (demo world), parsed by boto3, must agree on value types, and every field moto fills must be there.
 * Fields only the simulator returns are fine: its writer emits only members of the SDK's model, and moto leaves
 * many out. moto is not a reference for behaviour.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { type BotoCall, type BotoOutcome, boto, hasBoto3, hasMoto, shapeOf, startMoto } from "./tools.js";

const worldPath = new URL("../../../deploy-example/world.json", import.meta.url);
const demo = JSON.parse(readFileSync(worldPath, "utf8"));
const note = !hasMoto
  ? " (skipped: moto_server is not installed)"
  : !hasBoto3
    ? " (skipped: boto3 is not installed)"
    : "";
const pageTokens = new Set(["NextMarker", "NextToken", "nextToken"]);

/** Paths in `from` that `other` lacks; items of a list `other` returned empty and page tokens cannot be compared. */
function absentIn(from: Map<string, string>, other: Map<string, string>): string[] {
  const insideEmptyList = (path: string) =>
    [...path.matchAll(/\[\]/g)].some((m) => {
      const list = path.slice(0, m.index);
      return other.get(list) === "list" && !other.has(`${list}[]`);
    });
  return [...from.keys()].filter((path) => !other.has(path) && !pageTokens.has(path) && !insideEmptyList(path));
}

const result = (o: BotoOutcome | undefined, what: string): any => {
  if (!o || !("result" in o)) throw new Error(`${what} failed: ${JSON.stringify(o)}`);
  return o.result;
};

describe.skipIf(!hasMoto || !hasBoto3)(`response shapes compared with moto_server${note}`, () => {
  let sim: RunningSimulator;
  let moto: { url: string; stop(): void };
  beforeAll(async () => {
    sim = await serve({ worldFile: fileURLToPath(worldPath), port: 0, log: () => {} });
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => {
    moto?.stop();
    await sim?.close();
  });

  it("agrees on keys and types for the read calls the action makes", async () => {
    const td = demo.taskDefinitions[0];
    const vpc = result(
      (await boto(moto.url, [{ service: "ec2", op: "create_vpc", params: { CidrBlock: "10.0.0.0/16" } }]))[0],
      "create_vpc",
    );
    const vpcId = vpc.Vpc.VpcId as string;
    const [subnet, sg, tg] = await boto(moto.url, [
      {
        service: "ec2",
        op: "create_subnet",
        params: { VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a" },
      },
      {
        service: "ec2",
        op: "create_security_group",
        params: { GroupName: "web-tasks", Description: "web", VpcId: vpcId },
      },
      {
        service: "elbv2",
        op: "create_target_group",
        params: { Name: "web-tg", Protocol: "HTTP", Port: 8080, VpcId: vpcId, TargetType: "ip" },
      },
    ]);
    const subnetId = result(subnet, "create_subnet").Subnet.SubnetId;
    const groupId = result(sg, "create_security_group").GroupId;
    const tgArn = result(tg, "create_target_group").TargetGroups[0].TargetGroupArn;
    const setup = await boto(moto.url, [
      {
        service: "ec2",
        op: "authorize_security_group_ingress",
        params: {
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
        },
      },
      {
        service: "elbv2",
        op: "register_targets",
        params: { TargetGroupArn: tgArn, Targets: [{ Id: "10.0.1.10", Port: 8080 }] },
      },
      { service: "ecs", op: "create_cluster", params: { clusterName: "production" } },
      { service: "ecs", op: "register_task_definition", params: td },
      {
        service: "ecs",
        op: "create_service",
        params: {
          cluster: "production",
          serviceName: "web",
          taskDefinition: "web:1",
          desiredCount: 2,
          launchType: "FARGATE",
          networkConfiguration: { awsvpcConfiguration: { subnets: [subnetId], securityGroups: [groupId] } },
        },
      },
      { service: "ecr", op: "create_repository", params: { repositoryName: "web" } },
    ]);
    for (const [i, o] of setup.entries()) result(o, `moto setup ${i}`);

    const simTg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
    const reads = (ids: { subnet: string; group: string; tg: string }): BotoCall[] => [
      { service: "ec2", op: "describe_subnets", params: { SubnetIds: [ids.subnet] } },
      { service: "ec2", op: "describe_security_groups", params: { GroupIds: [ids.group] } },
      { service: "elbv2", op: "describe_target_groups", params: { TargetGroupArns: [ids.tg] } },
      { service: "elbv2", op: "describe_target_health", params: { TargetGroupArn: ids.tg } },
      { service: "ecs", op: "describe_clusters", params: { clusters: ["production"] } },
      { service: "ecs", op: "describe_task_definition", params: { taskDefinition: "web:1" } },
      { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
      { service: "ecr", op: "describe_repositories", params: { repositoryNames: ["web"] } },
    ];
    const [ours, theirs] = await Promise.all([
      boto(sim.url, reads({ subnet: demo.subnets[0].subnetId, group: demo.securityGroups[0].groupId, tg: simTg })),
      boto(moto.url, reads({ subnet: subnetId, group: groupId, tg: tgArn })),
    ]);
    const typeConflicts: string[] = [];
    const missing: string[] = [];
    reads({ subnet: "", group: "", tg: "" }).forEach((call, i) => {
      const a = shapeOf(result(ours[i], `simulator ${call.op}`));
      const b = shapeOf(result(theirs[i], `moto ${call.op}`));
      for (const [path, type] of a) {
        if (b.has(path) && b.get(path) !== type)
          typeConflicts.push(`${call.op} ${path}: ${type} (moto: ${b.get(path)})`);
      }
      missing.push(...absentIn(b, a).map((path) => `${call.op} ${path}`));
    });
    expect(typeConflicts).toEqual([]);
    expect(missing).toEqual([]);
  }, 90_000);
});
