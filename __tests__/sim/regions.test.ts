/**
 * Issue 15 item 7: resources live in a region. Real SDK clients, in-process, against the demo world (us-east-1):
 * from another region nothing of it is found, with AWS's errors, and what is made there stays there.
 */
import { readFileSync } from "node:fs";
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  RunTaskCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { createSimulator } from "../../src/sim/simulator.js";
import { World } from "../../src/sim/world/index.js";
import { demoWorld } from "../cli/sim-io.js";
import { simClientConfig } from "./fixtures.js";

const demo = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
const SUBNET = "subnet-0a1b2c3d4e5f60001";
const SG = "sg-0123456789abcdef0";

function clients(variant?: string) {
  const sim = createSimulator({ world: (clock) => World.fromJson(demo, "demo", { clock, variant }) });
  const at = (region: string) => ({ ...simClientConfig(sim), region });
  return {
    sim,
    ecs: (region: string) => new ECSClient(at(region)),
    elbv2: (region: string) => new ElasticLoadBalancingV2Client(at(region)),
    ec2: (region: string) => new EC2Client(at(region)),
  };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: "no error", message: "" }),
    (e: Error) => ({ name: e.name, message: e.message }),
  );

describe("resources are scoped by region", () => {
  it("finds nothing of the us-east-1 world from us-west-2, with each service's own not-found error", async () => {
    const c = clients();
    const clusters = await c.ecs("us-west-2").send(new DescribeClustersCommand({ clusters: ["production"] }));
    expect(clusters.clusters).toEqual([]);
    expect(clusters.failures).toEqual([
      { arn: "arn:aws:ecs:us-west-2:123456789012:cluster/production", reason: "MISSING" },
    ]);
    expect((await c.ecs("us-west-2").send(new ListClustersCommand({}))).clusterArns).toEqual([]);
    expect(
      await failure(c.ecs("us-west-2").send(new DescribeServicesCommand({ cluster: "production", services: ["web"] }))),
    ).toEqual({ name: "ClusterNotFoundException", message: "Cluster not found." });
    expect(
      await failure(c.elbv2("us-west-2").send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG] }))),
    ).toMatchObject({ name: "TargetGroupNotFoundException" });
    expect(
      await failure(c.elbv2("us-west-2").send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))),
    ).toMatchObject({ name: "TargetGroupNotFoundException" });
    expect(await failure(c.ec2("eu-west-1").send(new DescribeSubnetsCommand({ SubnetIds: [SUBNET] })))).toEqual({
      name: "InvalidSubnetID.NotFound",
      message: `The subnet ID '${SUBNET}' does not exist`,
    });
    expect(await failure(c.ec2("eu-west-1").send(new DescribeSecurityGroupsCommand({ GroupIds: [SG] })))).toMatchObject(
      { name: "InvalidGroup.NotFound" },
    );
    // The world's own region still has all of it.
    const home = await c
      .ecs("us-east-1")
      .send(new DescribeServicesCommand({ cluster: "production", services: ["web"] }));
    expect(home.services?.[0]).toMatchObject({ serviceName: "web", runningCount: 2 });
  });

  it("does not find an EC2 container instance from another region", async () => {
    const c = clients("placement-memory");
    const home = await c.ec2("us-east-1").send(new DescribeInstancesCommand({}));
    const id = home.Reservations?.[0]?.Instances?.[0]?.InstanceId;
    expect(id).toMatch(/^i-/);
    expect(await failure(c.ec2("us-west-2").send(new DescribeInstancesCommand({ InstanceIds: [id!] })))).toMatchObject({
      name: "InvalidInstanceID.NotFound",
    });
  });

  it("refuses an ECS ARN of another region or account as ECS does", async () => {
    const c = clients();
    const west = "arn:aws:ecs:us-west-2:123456789012:cluster/production";
    expect(
      await failure(c.ecs("us-east-1").send(new DescribeServicesCommand({ cluster: west, services: ["web"] }))),
    ).toEqual({ name: "InvalidParameterException", message: "Invalid Region in ARN" });
    const other = "arn:aws:ecs:us-east-1:999999999999:cluster/production";
    expect(
      await failure(c.ecs("us-east-1").send(new DescribeServicesCommand({ cluster: other, services: ["web"] }))),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Identifier is for 999999999999. Your accountId is 123456789012",
    });
    expect(
      await failure(
        c
          .ecs("us-west-2")
          .send(new RunTaskCommand({ cluster: "production", taskDefinition: "web:1", launchType: "FARGATE" })),
      ),
    ).toMatchObject({ name: "ClusterNotFoundException" });
  });

  it("keeps what is made in a region there, with that region's ARNs", async () => {
    const c = clients();
    const made = await c.ecs("eu-west-1").send(new CreateClusterCommand({ clusterName: "production" }));
    expect(made.cluster?.clusterArn).toBe("arn:aws:ecs:eu-west-1:123456789012:cluster/production");
    const eu = await c.ecs("eu-west-1").send(new DescribeClustersCommand({ clusters: ["production"] }));
    expect(eu.clusters?.map((x) => [x.clusterArn, x.activeServicesCount])).toEqual([[made.cluster?.clusterArn, 0]]);
    const west = await c.ecs("us-west-2").send(new ListClustersCommand({}));
    expect(west.clusterArns).toEqual([]);
    const home = await c.ecs("us-east-1").send(new DescribeClustersCommand({ clusters: ["production"] }));
    expect(home.clusters?.map((x) => [x.clusterArn, x.activeServicesCount])).toEqual([
      ["arn:aws:ecs:us-east-1:123456789012:cluster/production", 1],
    ]);
    const state = c.sim.world.snapshot() as { otherRegions?: { region: string; clusters: { name: string }[] }[] };
    expect(state.otherRegions?.map((r) => [r.region, r.clusters.map((x) => x.name)])).toEqual([
      ["eu-west-1", ["production"]],
    ]);
  });

  it("serves a request that names no region from the world's own region", async () => {
    const sim = createSimulator({
      world: (clock) => World.fromJson({ region: "eu-central-1", clusters: [{ name: "apps" }] }, "eu.json", { clock }),
    });
    const unsigned = await sim.dispatch({
      method: "POST",
      path: "/",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListClusters",
      },
      body: "{}",
    });
    expect(JSON.parse(unsigned.body).clusterArns).toEqual(["arn:aws:ecs:eu-central-1:123456789012:cluster/apps"]);
    const byHost = await sim.dispatch({
      method: "POST",
      path: "/",
      headers: {
        host: "ecs.us-west-2.amazonaws.com",
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListClusters",
      },
      body: "{}",
    });
    expect(JSON.parse(byHost.body).clusterArns).toEqual([]);
  });
});

describe("cage rollout --region us-west-2 against the us-east-1 demo", () => {
  it("fails in preflight saying the cluster is not in us-west-2, and changes nothing", async () => {
    const { sim, out, err, io, ports } = demoWorld();
    const before = sim.world.snapshot();
    const code = await deployCommand(
      parseCommandLine(["rollout", "--region", "us-west-2", "deploy-example"], io.env),
      io,
      ports,
    );
    expect(code).toBe(1);
    expect([...out, ...err].join("\n")).toMatch(
      /preflight failed: Cluster 'production' was not found in region us-west-2\./,
    );
    expect(sim.journal.mutations()).toEqual([]);
    const after = sim.world.snapshot() as typeof before;
    expect({ ...after, now: undefined }).toEqual({ ...before, now: undefined });
  });
});
