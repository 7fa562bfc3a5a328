import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeImageScanFindingsCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeTasksCommand, ECSClient, ListTasksCommand, paginateListTasks } from "@aws-sdk/client-ecs";
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/sim/simulator.js";
import { simClientConfig, TG_ARN, testWorld } from "./fixtures.js";

function clients() {
  const sim = createSimulator({ world: testWorld() });
  const config = simClientConfig(sim);
  return {
    sim,
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    ec2: new EC2Client(config),
  };
}

describe("awsJson1_1 (ECS, ECR) through the real SDK", () => {
  it("returns SDK-typed output: Date timestamps, nested lists, no unmodelled members", async () => {
    const { ecs, sim } = clients();
    const out = await ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: ["abc"] }));
    const task = out.tasks?.[0];
    expect(task?.taskArn).toBe("arn:aws:ecs:us-east-1:123456789012:task/c/abc");
    expect(task?.createdAt).toEqual(new Date(sim.clock.now()));
    expect(task?.containers?.[0]?.exitCode).toBe(0);
    expect(task?.attachments?.[0]?.details?.[0]).toEqual({ name: "privateIPv4Address", value: "10.0.1.5" });
    expect(task).not.toHaveProperty("unknownExtra");
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("hands the handler the input as the SDK models it", async () => {
    const { ecs, sim } = clients();
    await ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: ["a", "b"] }));
    expect(sim.journal.calls()[0]).toMatchObject({
      service: "ecs",
      operation: "DescribeTasks",
      params: { cluster: "c", tasks: ["a", "b"] },
      status: 200,
    });
  });

  it("maps a world error to the modelled SDK exception", async () => {
    const { ecs } = clients();
    const err = await ecs.send(new DescribeTasksCommand({ cluster: "missing", tasks: ["a"] })).catch((e) => e);
    expect(err.name).toBe("ClusterNotFoundException");
    expect(err.$fault).toBe("client");
    expect(err.message).toBe("Cluster not found.");
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it("turns a crashing handler into a retryable ServerException", async () => {
    const { ecs } = clients();
    const { UpdateServiceCommand } = await import("@aws-sdk/client-ecs");
    const err = await ecs.send(new UpdateServiceCommand({ service: "s" })).catch((e) => e);
    expect(err.name).toBe("ServerException");
    expect(err.$fault).toBe("server");
    expect(err.message).toContain("boom");
  });

  it("passes nextToken and maxResults through, so SDK paginators walk every page", async () => {
    const { ecs, sim } = clients();
    const pages: string[][] = [];
    for await (const page of paginateListTasks({ client: ecs, pageSize: 2 }, { cluster: "c" })) {
      pages.push(page.taskArns ?? []);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(sim.journal.calls({ operation: "ListTasks" }).map((c) => c.params)).toEqual([
      { cluster: "c", maxResults: 2 },
      { cluster: "c", maxResults: 2, nextToken: "2" },
    ]);
    const single = await ecs.send(new ListTasksCommand({}));
    expect(single.nextToken).toBeUndefined();
  });

  it("carries ECR maps and epoch timestamps", async () => {
    const { ecr } = clients();
    const out = await ecr.send(
      new DescribeImageScanFindingsCommand({ repositoryName: "app", imageId: { imageTag: "v1" } }),
    );
    expect(out.imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 2, CRITICAL: 1 });
    expect(out.imageScanFindings?.imageScanCompletedAt).toEqual(new Date(Date.UTC(2026, 0, 2)));
    expect(out.imageScanFindings?.findings?.[0]?.attributes).toEqual([{ key: "package_name", value: "openssl" }]);
  });
});

describe("awsQuery (ELBv2) through the real SDK", () => {
  it("parses .member.N lists into typed input and writes <member> lists back", async () => {
    const { elb, sim } = clients();
    const out = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN, Targets: [{ Id: "10.0.1.6", Port: 8080 }] }),
    );
    expect(sim.journal.calls()[0]?.params).toEqual({
      TargetGroupArn: TG_ARN,
      Targets: [{ Id: "10.0.1.6", Port: 8080 }],
    });
    expect(out.TargetHealthDescriptions).toEqual([
      { Target: { Id: "10.0.1.6", Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "healthy" } },
    ]);
  });

  it("types numbers and booleans and keeps a one-item list a list", async () => {
    const { elb } = clients();
    const out = await elb.send(new DescribeTargetGroupsCommand({ Names: ["tg"] }));
    const tg = out.TargetGroups?.[0];
    expect(tg?.Port).toBe(80);
    expect(tg?.HealthCheckEnabled).toBe(true);
    expect(tg?.LoadBalancerArns).toHaveLength(1);
    expect(out.NextMarker).toBe("m1");
  });

  it("returns an empty result for an output without members", async () => {
    const { elb } = clients();
    const out = await elb.send(new RegisterTargetsCommand({ TargetGroupArn: TG_ARN, Targets: [{ Id: "10.0.1.5" }] }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it("maps awsQueryError wire codes to the modelled exception class", async () => {
    const { elb } = clients();
    const err = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: "arn:nope" })).catch((e) => e);
    expect(err).toBeInstanceOf(TargetGroupNotFoundException);
    expect(err.Code).toBe("TargetGroupNotFound");
    expect(err.$fault).toBe("client");
  });

  it("reads an empty list sent as a bare key as []", async () => {
    const { elb, sim } = clients();
    await elb.send(new DescribeTargetGroupsCommand({ Names: [] }));
    expect(sim.journal.calls()[0]?.params).toEqual({ Names: [] });
  });
});

describe("ec2Query (EC2) through the real SDK", () => {
  it("reads flattened .N lists by their ec2 names and writes <item> sets", async () => {
    const { ec2, sim } = clients();
    const out = await ec2.send(
      new DescribeSubnetsCommand({
        SubnetIds: ["subnet-a", "subnet-b"],
        Filters: [{ Name: "vpc-id", Values: ["vpc-9"] }],
      }),
    );
    expect(sim.journal.calls()[0]?.params).toEqual({
      SubnetIds: ["subnet-a", "subnet-b"],
      Filters: [{ Name: "vpc-id", Values: ["vpc-9"] }],
    });
    expect(out.Subnets).toEqual([
      {
        SubnetId: "subnet-a",
        VpcId: "vpc-9",
        AvailableIpAddressCount: 251,
        DefaultForAz: false,
        Tags: [{ Key: "Name", Value: "private-a" }],
      },
      {
        SubnetId: "subnet-b",
        VpcId: "vpc-9",
        AvailableIpAddressCount: 251,
        DefaultForAz: false,
        Tags: [{ Key: "Name", Value: "private-a" }],
      },
    ]);
  });

  it("answers DryRun with DryRunOperation instead of running the operation", async () => {
    const { ec2, sim } = clients();
    const err = await ec2.send(new DescribeSubnetsCommand({ DryRun: true })).catch((e) => e);
    expect(err.name).toBe("DryRunOperation");
    expect(sim.journal.calls()[0]?.status).toBe(412);
  });

  it("reports EC2 errors by name, as EC2 models none", async () => {
    const { ec2 } = clients();
    const err = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-missing"] })).catch((e) => e);
    expect(err.name).toBe("InvalidSubnetID.NotFound");
    expect(err.$fault).toBe("client");
    expect(err.message).toContain("subnet-missing");
  });
});
