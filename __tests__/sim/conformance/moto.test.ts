import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator } from "../../../src/sim/simulator.js";
import { type SimServer, startHttpServer } from "../../../src/sim/transport/http.js";
import { testWorld } from "../fixtures.js";
import { type BotoCall, boto, hasBoto3, hasMoto, shapeOf, startMoto } from "./tools.js";

const note = !hasMoto
  ? " (skipped: moto_server is not installed)"
  : !hasBoto3
    ? " (skipped: boto3 is not installed)"
    : "";

const pageTokens = new Set(["NextMarker", "NextToken", "nextToken"]);

/**
 * Paths the simulator returns that moto (serialising from botocore's models) does not, or with another type.
 * Items of a list moto returned empty, and page tokens (present only when more pages exist), cannot be compared.
 */
function mismatches(simResult: unknown, motoResult: unknown): string[] {
  const ours = shapeOf(simResult);
  const theirs = shapeOf(motoResult);
  const insideEmptyList = (path: string) =>
    [...path.matchAll(/\[\]/g)].some((m) => {
      const list = path.slice(0, m.index);
      return theirs.get(list) === "list" && !theirs.has(`${list}[]`);
    });
  return [...ours]
    .filter(([path]) => !pageTokens.has(path) && !insideEmptyList(path))
    .filter(([path, type]) => theirs.get(path) !== type)
    .map(([path, type]) => `${path}: ${type} (moto: ${theirs.get(path) ?? "absent"})`);
}

describe.skipIf(!hasMoto || !hasBoto3)(`response shapes compared with moto_server${note}`, () => {
  let sim: SimServer;
  let moto: { url: string; stop(): void };
  beforeAll(async () => {
    sim = await startHttpServer(createSimulator({ world: testWorld() }), { port: 0 });
    moto = await startMoto();
  });
  afterAll(async () => {
    moto?.stop();
    await sim?.close();
  });

  it("returns DescribeSubnets and DescribeTargetGroups with moto's keys and types", async () => {
    const setup = await boto(moto.url, [{ service: "ec2", op: "create_vpc", params: { CidrBlock: "10.9.0.0/16" } }]);
    const vpcId = (setup[0] as { result: { Vpc: { VpcId: string } } }).result.Vpc.VpcId;
    await boto(moto.url, [
      {
        service: "ec2",
        op: "create_subnet",
        params: {
          VpcId: vpcId,
          CidrBlock: "10.9.1.0/24",
          TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "Name", Value: "a" }] }],
        },
      },
      {
        service: "elbv2",
        op: "create_target_group",
        params: { Name: "tg", Protocol: "HTTP", Port: 80, VpcId: vpcId, TargetType: "ip" },
      },
    ]);
    const reads: BotoCall[] = [
      { service: "ec2", op: "describe_subnets", params: { Filters: [{ Name: "vpc-id", Values: [vpcId] }] } },
      { service: "elbv2", op: "describe_target_groups", params: { Names: ["tg"] } },
    ];
    const [ours, theirs] = await Promise.all([boto(sim.url, reads), boto(moto.url, reads)]);
    reads.forEach((_, i) => {
      const a = ours[i] as { result: unknown };
      const b = theirs[i] as { result: unknown };
      expect(a.result, `simulator ${reads[i]!.op}`).toBeDefined();
      expect(b.result, `moto ${reads[i]!.op}`).toBeDefined();
      expect(mismatches(a.result, b.result), reads[i]!.op).toEqual([]);
    });
  });
});
