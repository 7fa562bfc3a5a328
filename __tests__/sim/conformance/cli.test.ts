import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../../src/sim/simulator.js";
import { type SimServer, startHttpServer } from "../../../src/sim/transport/http.js";
import { TG_ARN, testWorld } from "../fixtures.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

let server: SimServer;
let sim: Simulator;
beforeAll(async () => {
  sim = createSimulator({ world: testWorld() });
  server = await startHttpServer(sim, { port: 0 });
});
afterAll(() => server.close());

const cliNote = hasAwsCli ? "" : " (skipped: the aws CLI is not on PATH)";
const botoNote = hasBoto3 ? "" : " (skipped: python3 with boto3 is not installed)";

describe.skipIf(!hasAwsCli)(`the AWS CLI against the HTTP server${cliNote}`, () => {
  const cli = (args: string[], env?: Record<string, string>) => awsCli(server.url, args, env);

  it("describes ECS tasks with typed fields", async () => {
    const r = await cli(["ecs", "describe-tasks", "--cluster", "c", "--tasks", "a", "b"]);
    expect(r.code).toBe(0);
    expect(r.json.tasks).toHaveLength(2);
    expect(r.json.tasks[0].containers[0].exitCode).toBe(0);
    const createdAt = r.json.tasks[0].createdAt;
    // CLI v1 prints timestamps as received (epoch seconds); v2 prints ISO 8601.
    expect(typeof createdAt === "number" ? createdAt * 1000 : Date.parse(createdAt)).toBe(sim.clock.now());
  });

  it("pages ECS list-tasks with --page-size and gathers every page", async () => {
    const r = await cli(["ecs", "list-tasks", "--cluster", "c", "--page-size", "2"]);
    expect(r.code).toBe(0);
    expect(r.json.taskArns).toHaveLength(3);
  });

  it("reads ECR scan findings with maps", async () => {
    const r = await cli([
      "ecr",
      "describe-image-scan-findings",
      "--repository-name",
      "app",
      "--image-id",
      "imageTag=v1",
    ]);
    expect(r.json.imageScanFindings.findingSeverityCounts).toEqual({ HIGH: 2, CRITICAL: 1 });
  });

  it("sends ELBv2 lists and follows NextMarker", async () => {
    const health = await cli([
      "elbv2",
      "describe-target-health",
      "--target-group-arn",
      TG_ARN,
      "--targets",
      "Id=10.0.1.6,Port=8080",
    ]);
    expect(health.json.TargetHealthDescriptions).toEqual([
      { Target: { Id: "10.0.1.6", Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "healthy" } },
    ]);
    const groups = await cli(["elbv2", "describe-target-groups", "--names", "tg"]);
    expect(groups.json.TargetGroups).toHaveLength(2);
    expect(groups.json.TargetGroups[0].HealthCheckEnabled).toBe(true);
  });

  it("registers targets with an empty result and exit 0", async () => {
    const r = await cli([
      "elbv2",
      "register-targets",
      "--target-group-arn",
      TG_ARN,
      "--targets",
      "Id=10.0.1.5,Port=80",
    ]);
    expect(r.code).toBe(0);
    const call = sim.journal.calls({ operation: "RegisterTargets" }).at(-1);
    expect(call?.params).toEqual({ TargetGroupArn: TG_ARN, Targets: [{ Id: "10.0.1.5", Port: 80 }] });
  });

  it("sends EC2 flattened lists and reads <item> sets", async () => {
    const r = await cli([
      "ec2",
      "describe-subnets",
      "--subnet-ids",
      "subnet-a",
      "--filters",
      "Name=vpc-id,Values=vpc-9",
    ]);
    expect(r.json.Subnets).toEqual([
      {
        SubnetId: "subnet-a",
        VpcId: "vpc-9",
        AvailableIpAddressCount: 251,
        DefaultForAz: false,
        Tags: [{ Key: "Name", Value: "private-a" }],
      },
    ]);
  });

  it.each([
    [["ecs", "describe-tasks", "--cluster", "missing", "--tasks", "a"], "ClusterNotFoundException"],
    [["elbv2", "describe-target-health", "--target-group-arn", "arn:nope"], "TargetGroupNotFound"],
    [["ec2", "describe-subnets", "--subnet-ids", "subnet-missing"], "InvalidSubnetID.NotFound"],
  ])("prints the service's error code for %j", async (args, code) => {
    const r = await cli(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`An error occurred (${code})`);
  });

  it("sees an injected throttle as the service's own throttling code", async () => {
    sim.faults.add([{ service: "ec2", effect: "throttle", count: 1 }]);
    const r = await cli(["ec2", "describe-subnets"]);
    expect(r.stderr).toContain("An error occurred (RequestLimitExceeded)");
  });
});

describe.skipIf(!hasBoto3)(`boto3 against the HTTP server${botoNote}`, () => {
  it("parses every protocol's responses and errors", async () => {
    const out = await boto(server.url, [
      { service: "ecs", op: "describe_tasks", params: { cluster: "c", tasks: ["a"] } },
      {
        service: "ecr",
        op: "describe_image_scan_findings",
        params: { repositoryName: "app", imageId: { imageTag: "v1" } },
      },
      { service: "elbv2", op: "describe_target_health", params: { TargetGroupArn: TG_ARN } },
      { service: "ec2", op: "describe_subnets", params: { SubnetIds: ["subnet-a"] } },
      { service: "ecs", op: "describe_tasks", params: { cluster: "missing", tasks: ["a"] } },
      { service: "elbv2", op: "describe_target_health", params: { TargetGroupArn: "arn:nope" } },
      { service: "ec2", op: "describe_subnets", params: { SubnetIds: ["subnet-missing"] } },
      { service: "ecs", op: "create_cluster", params: { clusterName: "x" } },
    ]);
    const [tasks, findings, health, subnets, ...errors] = out as any[];
    expect(tasks.result.tasks[0].createdAt.$type).toBe("datetime");
    expect(findings.result.imageScanFindings.imageScanCompletedAt.value).toBe("2026-01-02 00:00:00+00:00");
    expect(health.result.TargetHealthDescriptions[0].Target.Port).toBe(8080);
    expect(subnets.result.Subnets[0].AvailableIpAddressCount).toBe(251);
    expect(errors.map((e) => [e.error.code, e.error.status])).toEqual([
      ["ClusterNotFoundException", 400],
      ["TargetGroupNotFound", 400],
      ["InvalidSubnetID.NotFound", 400],
      ["UnknownOperationException", 400],
    ]);
  });
});
