/** boto3 (botocore's model-driven parsers) driving the demo world over HTTP. */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { boto, hasBoto3 } from "./tools.js";

const worldFile = fileURLToPath(new URL("../../../deploy-example/world.json", import.meta.url));
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
const note = hasBoto3 ? "" : " (skipped: python3 with boto3 is not installed)";

describe.skipIf(!hasBoto3)(`boto3 against the simulator's HTTP server${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());

  it("parses every protocol's responses, with typed timestamps, numbers and lists", async () => {
    const [services, health, subnets, findings, tgs] = (await boto(running.url, [
      { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
      { service: "elbv2", op: "describe_target_health", params: { TargetGroupArn: TG } },
      {
        service: "ec2",
        op: "describe_subnets",
        params: { Filters: [{ Name: "vpc-id", Values: ["vpc-0a1b2c3d4e5f67890"] }] },
      },
      {
        service: "ecr",
        op: "describe_image_scan_findings",
        params: { repositoryName: "web", imageId: { imageTag: "v1" } },
      },
      { service: "elbv2", op: "describe_target_groups", params: { Names: ["web-tg"] } },
    ])) as any[];
    const service = services.result.services[0];
    expect(service).toMatchObject({ serviceName: "web", runningCount: 2, desiredCount: 2 });
    expect(service.createdAt.$type).toBe("datetime");
    expect(health.result.TargetHealthDescriptions.map((d: any) => d.TargetHealth.State)).toEqual([
      "healthy",
      "healthy",
    ]);
    expect(health.result.TargetHealthDescriptions[0].Target.Port).toBe(8080);
    expect(subnets.result.Subnets).toHaveLength(2);
    expect(findings.result.imageScanFindings.findings[0].name).toBe("CVE-2023-5678");
    expect(findings.result.imageScanFindings.imageScanCompletedAt.$type).toBe("datetime");
    expect(tgs.result.TargetGroups[0]).toMatchObject({ Port: 8080, HealthCheckIntervalSeconds: 10, TargetType: "ip" });
  });

  it("runs a task and sees it reach RUNNING after the clock advances", async () => {
    const [run] = (await boto(running.url, [
      {
        service: "ecs",
        op: "run_task",
        params: {
          cluster: "production",
          taskDefinition: "web:1",
          launchType: "FARGATE",
          networkConfiguration: {
            awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60002"], securityGroups: ["sg-0123456789abcdef0"] },
          },
        },
      },
    ])) as any[];
    const taskArn = run.result.tasks[0].taskArn as string;
    expect(run.result.tasks[0].lastStatus).toBe("PROVISIONING");
    await fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds: 120 }) });
    const [described] = (await boto(running.url, [
      { service: "ecs", op: "describe_tasks", params: { cluster: "production", tasks: [taskArn] } },
    ])) as any[];
    expect(described.result.tasks[0].lastStatus).toBe("RUNNING");
  });

  it("reports each protocol's errors with code and HTTP status", async () => {
    const out = (await boto(running.url, [
      { service: "ecs", op: "describe_services", params: { cluster: "nope", services: ["web"] } },
      { service: "elbv2", op: "describe_target_health", params: { TargetGroupArn: TG.replace("web-tg", "nope") } },
      { service: "ec2", op: "describe_subnets", params: { SubnetIds: ["subnet-0000000000000dead"] } },
      { service: "ecr", op: "describe_images", params: { repositoryName: "nope" } },
      { service: "ecs", op: "list_attributes", params: { cluster: "production", targetType: "container-instance" } },
    ])) as any[];
    expect(out.map((o) => [o.error?.code, o.error?.status])).toEqual([
      ["ClusterNotFoundException", 400],
      ["TargetGroupNotFound", 400],
      ["InvalidSubnetID.NotFound", 400],
      ["RepositoryNotFoundException", 400],
      ["UnknownOperationException", 400],
    ]);
  });
});
