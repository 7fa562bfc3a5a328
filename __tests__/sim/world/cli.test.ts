import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { World } from "../../../src/sim/world/index.js";
import { awsCli, hasAwsCli } from "../conformance/tools.js";
import { DEMO_PATH, TG_ARN } from "./harness.js";

describe.skipIf(!hasAwsCli)("the demo world served over HTTP to the AWS CLI", () => {
  let server: RunningSimulator;
  const cli = (...args: string[]) => awsCli(server.url, args);

  beforeAll(async () => {
    server = await serve({
      worldFile: `${DEMO_PATH}#critical-findings`,
      loadWorld: (json, source, clock, variant) =>
        World.fromJson(json, source, { clock, ...(variant !== undefined ? { variant } : {}) }),
      log: () => {},
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("describes the running service, its tasks and their targets", async () => {
    const svc = (await cli("ecs", "describe-services", "--cluster", "production", "--services", "web")).json
      .services[0];
    expect(svc).toMatchObject({ serviceName: "web", runningCount: 2, desiredCount: 2 });
    expect(svc.deployments[0].rolloutState).toBe("COMPLETED");
    const arns = (await cli("ecs", "list-tasks", "--cluster", "production", "--service-name", "web")).json.taskArns;
    const tasks = (await cli("ecs", "describe-tasks", "--cluster", "production", "--tasks", ...arns)).json.tasks;
    expect(tasks.map((t: any) => t.lastStatus)).toEqual(["RUNNING", "RUNNING"]);
    const health = (await cli("elbv2", "describe-target-health", "--target-group-arn", TG_ARN)).json;
    expect(health.TargetHealthDescriptions.map((d: any) => d.TargetHealth.State)).toEqual(["healthy", "healthy"]);
  });

  it("describes subnets and an image's scan findings", async () => {
    const subnets = (await cli("ec2", "describe-subnets")).json.Subnets;
    expect(subnets.map((s: any) => s.AvailabilityZone)).toEqual(["us-east-1a", "us-east-1b"]);
    const scan = (
      await cli("ecr", "describe-image-scan-findings", "--repository-name", "web", "--image-id", "imageTag=v2")
    ).json;
    expect(scan.imageScanFindings.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 5, MEDIUM: 20, LOW: 13 });
  });

  it("answers an unknown cluster with ECS's error", async () => {
    const out = await cli("ecs", "describe-tasks", "--cluster", "staging", "--tasks", "x");
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain("ClusterNotFoundException");
  });
});
