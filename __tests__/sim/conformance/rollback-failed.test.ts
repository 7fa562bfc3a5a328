/** boto3 and the AWS CLI against `cage sim serve`: a BLUE_GREEN deployment whose rollback fails, ROLLBACK_FAILED. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { BLUE_GREEN_LOAD_BALANCERS, withWebV2, writeListenerWorld } from "./listener-world.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

const note = hasBoto3 && hasAwsCli ? "" : " (skipped: needs python3 with boto3 and the aws CLI)";
const web = { cluster: "production", service: "web" };
const ROLE = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
const lambda = (name: string, stage: string) => ({
  targetType: "AWS_LAMBDA",
  hookTargetArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
  roleArn: ROLE,
  lifecycleStages: [stage],
});

describe.skipIf(!hasBoto3 || !hasAwsCli)(`a rollback that fails, over HTTP${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    const world = writeListenerWorld((w) => {
      withWebV2(w);
      w.lambdas = { smoke: { outcome: "FAILED" }, "shift-check": { outcome: "SUCCEEDED", rollbackOutcome: "FAILED" } };
    });
    running = await serve({ worldFile: world, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());

  it("describe_service_deployments shows ROLLBACK_FAILED with statusReason and rollback; the CLI lists it by status", async () => {
    const [before, updated] = (await boto(running.url, [
      { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
      {
        service: "ecs",
        op: "update_service",
        params: {
          ...web,
          taskDefinition: "web:2",
          loadBalancers: BLUE_GREEN_LOAD_BALANCERS,
          deploymentConfiguration: {
            strategy: "BLUE_GREEN",
            bakeTimeInMinutes: 5,
            lifecycleHooks: [
              lambda("shift-check", "PRODUCTION_TRAFFIC_SHIFT"),
              lambda("smoke", "POST_PRODUCTION_TRAFFIC_SHIFT"),
            ],
          },
        },
      },
    ])) as any[];
    const blue = before.result.services[0].currentServiceRevisions[0].arn;
    const arn = updated.result.service.currentServiceDeployment as string;
    await fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds: 600 }) });
    const [described] = (await boto(running.url, [
      { service: "ecs", op: "describe_service_deployments", params: { serviceDeploymentArns: [arn] } },
    ])) as any[];
    const d = described.result.serviceDeployments[0];
    expect(d.status).toBe("ROLLBACK_FAILED");
    expect(d.statusReason).toMatch(/^Rollback failed: lifecycle hook ecs-lambda-\S+ failed during the rollback's/);
    expect(d.rollback).toMatchObject({ serviceRevisionArn: blue, reason: expect.stringMatching(/^Lifecycle hook/) });
    expect(d.rollback.startedAt.$type).toBe("datetime");
    expect(d.finishedAt.$type).toBe("datetime");
    expect(d.lifecycleHookDetails.filter((h: any) => h.status === "FAILED")).toHaveLength(2);

    const listed = await awsCli(running.url, [
      "ecs",
      "list-service-deployments",
      "--cluster",
      "production",
      "--service",
      "web",
      "--status",
      "ROLLBACK_FAILED",
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    const briefs = JSON.parse(listed.stdout).serviceDeployments;
    expect(briefs.map((b: any) => [b.serviceDeploymentArn, b.status])).toEqual([[arn, "ROLLBACK_FAILED"]]);
    expect(briefs[0].statusReason).toBe(d.statusReason);
  });
});
