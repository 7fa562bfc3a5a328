/** The AWS CLI (botocore, an independent parser) setting up and reading the demo world over HTTP. */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { awsCli, hasAwsCli } from "./tools.js";

const worldFile = fileURLToPath(new URL("../../../deploy-example/world.json", import.meta.url));
const VPC = "vpc-0a1b2c3d4e5f67890";
const SUBNET = "subnet-0a1b2c3d4e5f60001";
const SG = "sg-0123456789abcdef0";
const note = hasAwsCli ? "" : " (skipped: the aws CLI is not on PATH)";

describe.skipIf(!hasAwsCli)(`the AWS CLI against the simulator's HTTP server${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());
  const cli = (...args: string[]) => awsCli(running.url, args);
  const advance = (seconds: number) =>
    fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds }) });

  it("sets up a service by hand and reads it back: cluster, task definition, target group, service, tasks", async () => {
    const cluster = await cli("ecs", "create-cluster", "--cluster-name", "conf");
    expect(cluster.json.cluster).toMatchObject({ clusterName: "conf", status: "ACTIVE" });

    const containers = JSON.stringify([
      {
        name: "app",
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1",
        essential: true,
        portMappings: [{ containerPort: 8080 }],
      },
    ]);
    const td = await cli(
      "ecs",
      "register-task-definition",
      "--family",
      "conf",
      "--network-mode",
      "awsvpc",
      "--requires-compatibilities",
      "FARGATE",
      "--cpu",
      "256",
      "--memory",
      "512",
      "--container-definitions",
      containers,
    );
    expect(td.json.taskDefinition).toMatchObject({ family: "conf", revision: 1, networkMode: "awsvpc" });

    const tg = await cli(
      "elbv2",
      "create-target-group",
      "--name",
      "conf-tg",
      "--protocol",
      "HTTP",
      "--port",
      "8080",
      "--vpc-id",
      VPC,
      "--target-type",
      "ip",
      "--health-check-interval-seconds",
      "10",
    );
    const tgArn = tg.json.TargetGroups[0].TargetGroupArn as string;
    expect(tg.json.TargetGroups[0]).toMatchObject({
      TargetGroupName: "conf-tg",
      Port: 8080,
      HealthCheckIntervalSeconds: 10,
    });

    const svc = await cli(
      "ecs",
      "create-service",
      "--cluster",
      "conf",
      "--service-name",
      "conf",
      "--task-definition",
      "conf:1",
      "--desired-count",
      "1",
      "--launch-type",
      "FARGATE",
      "--network-configuration",
      `awsvpcConfiguration={subnets=[${SUBNET}],securityGroups=[${SG}]}`,
    );
    expect(svc.code, svc.stderr).toBe(0);
    expect(svc.json.service).toMatchObject({ serviceName: "conf", desiredCount: 1 });

    await advance(300);
    const described = await cli("ecs", "describe-services", "--cluster", "conf", "--services", "conf");
    expect(described.json.services[0]).toMatchObject({ runningCount: 1, status: "ACTIVE" });
    const listed = await cli("ecs", "list-tasks", "--cluster", "conf", "--page-size", "1");
    expect(listed.json.taskArns).toHaveLength(1);
    const tasks = await cli("ecs", "describe-tasks", "--cluster", "conf", "--tasks", listed.json.taskArns[0]);
    const task = tasks.json.tasks[0];
    expect(task.lastStatus).toBe("RUNNING");
    const ip = task.attachments[0].details.find((d: { name: string }) => d.name === "privateIPv4Address").value;
    expect(ip).toMatch(/^10\.0\.1\.\d+$/);

    const registered = await cli(
      "elbv2",
      "register-targets",
      "--target-group-arn",
      tgArn,
      "--targets",
      `Id=${ip},Port=8080`,
    );
    expect(registered.code, registered.stderr).toBe(0);
    const health = await cli("elbv2", "describe-target-health", "--target-group-arn", tgArn);
    expect(health.json.TargetHealthDescriptions[0].Target).toMatchObject({ Id: ip, Port: 8080 });
    expect(["initial", "healthy", "unhealthy", "unused"]).toContain(
      health.json.TargetHealthDescriptions[0].TargetHealth.State,
    );
  });

  it("reads the existing world's security groups and images (subnets, services and findings: world/cli.test.ts)", async () => {
    const [groups, images] = await Promise.all([
      cli("ec2", "describe-security-groups", "--group-ids", SG),
      cli("ecr", "describe-images", "--repository-name", "web"),
    ]);
    expect(groups.json.SecurityGroups[0].IpPermissions[0]).toMatchObject({ FromPort: 8080, IpProtocol: "tcp" });
    expect(images.json.imageDetails.flatMap((i: { imageTags: string[] }) => i.imageTags).sort()).toEqual(["v1", "v2"]);
  });

  it("prints each service's own error code: ELBv2 wire code, EC2 code, ECS unknown operation", async () => {
    const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/1";
    const results = await Promise.all([
      cli("elbv2", "describe-target-health", "--target-group-arn", tg),
      cli("ec2", "describe-subnets", "--subnet-ids", "subnet-0000000000000dead"),
      cli("ecs", "list-attributes", "--cluster", "production", "--target-type", "container-instance"),
    ]);
    expect(results.map((r) => /An error occurred \(([^)]+)\)/.exec(r.stderr)?.[1])).toEqual([
      "TargetGroupNotFound",
      "InvalidSubnetID.NotFound",
      "UnknownOperationException",
    ]);
    expect(results.map((r) => r.code !== 0)).toEqual([true, true, true]);
  });

  it("sees an injected throttle as the service's own throttling code", async () => {
    running.sim.faults.add([{ service: "ec2", operation: "DescribeVpcs", effect: "throttle", count: 1 }]);
    const r = await cli("ec2", "describe-vpcs");
    expect(r.stderr).toContain("An error occurred (RequestLimitExceeded)");
  });
});

describe.skipIf(!hasAwsCli)(`the AWS CLI listing container instances with a filter${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile: `${worldFile}#placement-memory`, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());
  const cli = (...args: string[]) => awsCli(running.url, args);
  const instances = async (...args: string[]): Promise<{ ec2InstanceId: string; runningTasksCount: number }[]> => {
    const listed = await cli("ecs", "list-container-instances", "--cluster", "production", ...args);
    const arns: string[] = listed.json.containerInstanceArns;
    if (arns.length === 0) return [];
    const described = await cli(
      "ecs",
      "describe-container-instances",
      "--cluster",
      "production",
      "--container-instances",
      ...arns,
    );
    return described.json.containerInstances;
  };
  const instanceIds = async (...args: string[]) => (await instances(...args)).map((ci) => ci.ec2InstanceId).sort();

  it("selects instances by attribute expressions and status", async () => {
    expect(await instanceIds("--filter", "attribute:ecs.availability-zone == us-east-1b")).toEqual([
      "i-0a1b2c3d4e5f60012",
    ]);
    expect(await instanceIds("--filter", "attribute:ecs.instance-type == m5.large")).toEqual([
      "i-0a1b2c3d4e5f60011",
      "i-0a1b2c3d4e5f60012",
    ]);
    // The web service's tasks run on some of them: the filter finds exactly the others.
    const idle = (await instances()).filter((ci) => ci.runningTasksCount === 0).map((ci) => ci.ec2InstanceId);
    expect(idle.length).toBeLessThan(2);
    expect(await instanceIds("--filter", "attribute:ecs.instance-type == m5.large and runningTasksCount == 0")).toEqual(
      idle.sort(),
    );
    expect(await instanceIds("--status", "DRAINING")).toEqual([]);
  });

  it("prints ECS's InvalidParameterException for a filter it cannot parse", async () => {
    const r = await cli(
      "ecs",
      "list-container-instances",
      "--cluster",
      "production",
      "--filter",
      "runningTasksCount is 0",
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'An error occurred (InvalidParameterException) when calling the ListContainerInstances operation: Invalid filter expression "runningTasksCount is 0": unknown operator "is".',
    );
  });
});
