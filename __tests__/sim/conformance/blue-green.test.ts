/** boto3 and the AWS CLI switching a service to BLUE_GREEN against `cage sim serve`, and following it to its end. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import {
  BLUE_GREEN_LOAD_BALANCERS,
  BLUE_TG,
  GREEN_TG,
  PROD_RULE,
  withWebV2,
  writeListenerWorld,
} from "./listener-world.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

const note = hasBoto3 && hasAwsCli ? "" : " (skipped: needs python3 with boto3 and the aws CLI)";
const web = { cluster: "production", service: "web" };

describe.skipIf(!hasBoto3 || !hasAwsCli)(`a BLUE_GREEN service over HTTP${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile: writeListenerWorld(withWebV2), port: 0, log: () => {} });
  });
  afterAll(() => running?.close());
  const advance = (seconds: number) =>
    fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds }) });
  const look = async (arn: string) =>
    (await boto(running.url, [
      { service: "ecs", op: "describe_service_deployments", params: { serviceDeploymentArns: [arn] } },
      { service: "elbv2", op: "describe_rules", params: { RuleArns: [PROD_RULE] } },
    ])) as any[];
  const greenWeight = (rules: any) =>
    rules.result.Rules[0].Actions[0].ForwardConfig.TargetGroups.find((t: any) => t.TargetGroupArn === GREEN_TG).Weight;

  it("does what ECS does: green in the alternate group, production shifted by ECS, bake, blue cleaned up", async () => {
    const [updated] = (await boto(running.url, [
      {
        service: "ecs",
        op: "update_service",
        params: {
          ...web,
          taskDefinition: "web:2",
          loadBalancers: BLUE_GREEN_LOAD_BALANCERS,
          deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: 10 },
        },
      },
    ])) as any[];
    const arn = updated.result.service.currentServiceDeployment as string;
    const [scaling, rulesBefore] = await look(arn);
    expect(scaling.result.serviceDeployments[0]).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "SCALE_UP" });
    expect(greenWeight(rulesBefore)).toBe(0);

    await advance(120);
    const [baking, rulesShifted] = await look(arn);
    expect(baking.result.serviceDeployments[0]).toMatchObject({
      status: "IN_PROGRESS",
      lifecycleStage: "BAKE_TIME",
      targetServiceRevision: { requestedProductionTrafficWeight: 100, runningTaskCount: 2 },
    });
    expect(baking.result.serviceDeployments[0].sourceServiceRevisions[0]).toMatchObject({
      requestedTaskCount: 2,
      runningTaskCount: 2,
      requestedProductionTrafficWeight: 0,
    });
    expect(greenWeight(rulesShifted)).toBe(100);

    await advance(600);
    const [done] = await look(arn);
    expect(done.result.serviceDeployments[0]).toMatchObject({ status: "SUCCESSFUL", lifecycleStage: "CLEAN_UP" });
    const green = await awsCli(running.url, ["elbv2", "describe-target-health", "--target-group-arn", GREEN_TG]);
    expect(green.json.TargetHealthDescriptions.map((d: any) => d.TargetHealth.State)).toEqual(["healthy", "healthy"]);
    const revision = await awsCli(running.url, [
      "ecs",
      "describe-service-revisions",
      "--service-revision-arns",
      done.result.serviceDeployments[0].targetServiceRevision.arn,
    ]);
    expect(revision.json.serviceRevisions[0].resolvedConfiguration.loadBalancers[0].targetGroupArn).toBe(GREEN_TG);
  });

  it("refuses an advanced configuration naming a rule that does not exist, and changes nothing", async () => {
    const [refused, services] = (await boto(running.url, [
      {
        service: "ecs",
        op: "update_service",
        params: {
          ...web,
          forceNewDeployment: true,
          loadBalancers: [
            {
              targetGroupArn: BLUE_TG,
              containerName: "app",
              containerPort: 8080,
              advancedConfiguration: {
                alternateTargetGroupArn: GREEN_TG,
                productionListenerRule: `${PROD_RULE.slice(0, -4)}0000`,
                roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
              },
            },
          ],
        },
      },
      { service: "ecs", op: "list_service_deployments", params: web },
    ])) as any[];
    expect(refused.error).toMatchObject({ code: "InvalidParameterException", status: 400 });
    expect(refused.error.message).toContain("Unable to find listener rule");
    expect(services.result.serviceDeployments).toHaveLength(2);
  });

  it("pauses at a PAUSE hook until continue_service_deployment; stop-service-deployment rolls back to blue", async () => {
    const [updated] = (await boto(running.url, [
      {
        service: "ecs",
        op: "update_service",
        params: {
          ...web,
          forceNewDeployment: true,
          deploymentConfiguration: {
            strategy: "BLUE_GREEN",
            bakeTimeInMinutes: 10,
            lifecycleHooks: [
              {
                targetType: "PAUSE",
                lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
                timeoutConfiguration: { timeoutInMinutes: 30, action: "ROLLBACK" },
              },
            ],
          },
        },
      },
    ])) as any[];
    const arn = updated.result.service.currentServiceDeployment as string;
    await advance(120);
    const [pausedLook] = await look(arn);
    const paused = pausedLook.result.serviceDeployments[0];
    expect(paused).toMatchObject({ status: "IN_PROGRESS", lifecycleStage: "POST_TEST_TRAFFIC_SHIFT" });
    const hook = paused.lifecycleHookDetails[0];
    expect(hook).toMatchObject({ targetType: "PAUSE", status: "AWAITING_ACTION", timeoutAction: "ROLLBACK" });
    expect(hook.expiresAt.$type).toBe("datetime");

    const [continued, wrong] = (await boto(running.url, [
      { service: "ecs", op: "continue_service_deployment", params: { serviceDeploymentArn: arn, hookId: hook.hookId } },
      { service: "ecs", op: "continue_service_deployment", params: { serviceDeploymentArn: arn, hookId: hook.hookId } },
    ])) as any[];
    expect(continued.result).toEqual({ serviceDeploymentArn: arn });
    expect(wrong.error).toMatchObject({ code: "InvalidParameterException", status: 400 });
    const [baking, shifted] = await look(arn);
    expect(baking.result.serviceDeployments[0].lifecycleStage).toBe("BAKE_TIME");
    // Production had moved to web-green; this deployment's green is web-tg again.
    expect(greenWeight(shifted)).toBe(0);

    const stopped = await awsCli(running.url, [
      "ecs",
      "stop-service-deployment",
      "--service-deployment-arn",
      arn,
      "--stop-type",
      "ROLLBACK",
    ]);
    expect(stopped.code, stopped.stderr).toBe(0);
    await advance(300);
    const [done, rules] = await look(arn);
    expect(done.result.serviceDeployments[0]).toMatchObject({
      status: "ROLLBACK_SUCCESSFUL",
      statusReason: "Service deployment stopped by StopServiceDeployment.",
    });
    expect(greenWeight(rules)).toBe(100);
    const again = await awsCli(running.url, ["ecs", "stop-service-deployment", "--service-deployment-arn", arn]);
    expect(again.stderr).toContain("ConflictException");
  });
});
