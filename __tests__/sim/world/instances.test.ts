import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
  type ListContainerInstancesCommandInput,
  StartTaskCommand,
} from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { createSimulator, type WorldLike } from "../../../src/sim/simulator.js";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import { simClientConfig } from "../fixtures.js";
import { demoJson, REPO } from "./harness.js";

const SUBNET_A = "subnet-0a1b2c3d4e5f60001";
const SUBNET_B = "subnet-0a1b2c3d4e5f60002";
const SG = "sg-0123456789abcdef0";

/** Three EC2 instances: m5.large in us-east-1a and 1b, t3.large in 1b; one task runs on the first. */
async function cluster() {
  const builder = WorldBuilder.from(demoJson())
    .cluster({
      name: "production",
      containerInstances: [
        {
          instanceId: "i-0a",
          subnetId: SUBNET_A,
          securityGroups: [SG],
          instanceType: "m5.large",
          cpu: 2048,
          memory: 7680,
        },
        {
          instanceId: "i-0b",
          subnetId: SUBNET_B,
          securityGroups: [SG],
          instanceType: "m5.large",
          cpu: 2048,
          memory: 7680,
        },
        {
          instanceId: "i-0c",
          subnetId: SUBNET_B,
          securityGroups: [SG],
          instanceType: "t3.large",
          cpu: 2048,
          memory: 8192,
        },
      ],
    })
    .taskDefinition({
      family: "batch",
      networkMode: "bridge",
      containerDefinitions: [{ name: "job", image: `${REPO}:v1`, memory: 512 }],
    });
  const sim = createSimulator({ world: (clock) => builder.build(clock) as unknown as WorldLike });
  const ecs = new ECSClient(simClientConfig(sim));
  const all = (await ecs.send(new ListContainerInstancesCommand({ cluster: "production" }))).containerInstanceArns!;
  const described = await ecs.send(
    new DescribeContainerInstancesCommand({ cluster: "production", containerInstances: all }),
  );
  const idOf = new Map(described.containerInstances!.map((ci) => [ci.containerInstanceArn!, ci.ec2InstanceId!]));
  const first = described.containerInstances!.find((ci) => ci.ec2InstanceId === "i-0a")!.containerInstanceArn!;
  await ecs.send(new StartTaskCommand({ cluster: "production", taskDefinition: "batch", containerInstances: [first] }));
  await sim.clock.sleep(60_000);
  const list = async (input: Omit<ListContainerInstancesCommandInput, "cluster">) =>
    (
      (await ecs.send(new ListContainerInstancesCommand({ cluster: "production", ...input }))).containerInstanceArns ??
      []
    )
      .map((arn) => idOf.get(arn))
      .sort();
  return { ecs, list };
}

describe("ListContainerInstances with filter and status", () => {
  it.each([
    ["attribute:ecs.instance-type == t3.large", ["i-0c"]],
    ["attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", ["i-0a", "i-0b", "i-0c"]],
    ["attribute:ecs.availability-zone == us-east-1b and attribute:ecs.instance-type =~ m5.*", ["i-0b"]],
    ["runningTasksCount > 0", ["i-0a"]],
    ["task:group == family:batch", ["i-0a"]],
    ["not (ec2InstanceId == i-0a)", ["i-0b", "i-0c"]],
    ["attribute:stack exists", []],
  ])("lists the instances %s selects", async (filter, expected) => {
    const { list } = await cluster();
    expect(await list({ filter })).toEqual(expected);
  });

  it("lists every instance as ACTIVE and none as DRAINING", async () => {
    const { list } = await cluster();
    expect(await list({ status: "ACTIVE" })).toEqual(["i-0a", "i-0b", "i-0c"]);
    expect(await list({ status: "DRAINING", filter: "runningTasksCount >= 0" })).toEqual([]);
  });

  it("answers a filter it cannot parse with ECS's InvalidParameterException", async () => {
    const { list } = await cluster();
    const err = await list({ filter: "attribute:ecs.instance-type ==" }).catch((e) => e);
    expect(err).toMatchObject({
      name: "InvalidParameterException",
      message: 'Invalid filter expression "attribute:ecs.instance-type ==": the expression ends too early.',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
