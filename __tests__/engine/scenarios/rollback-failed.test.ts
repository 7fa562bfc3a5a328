/** A native deployment whose rollback fails too: followed by the engine, reported as a failure naming both. */
import { BatchDeleteImageCommand, ECRClient } from "@aws-sdk/client-ecr";
import { describe, expect, it } from "vitest";
import { rollout } from "../../../src/engine/rollout.js";
import { renderSummary } from "../../../src/report/summary.js";
import {
  blueGreen,
  currentDeployment,
  deploy,
  deployNatively,
  listenerScenario,
  target,
} from "../../fixtures/native-world.js";
import { simClientConfig } from "../../sim/fixtures.js";
import { mutations, REPO, rolloutSettings, serviceState } from "./world.js";

/** web:v2 sets off web-5xx 20 s after it runs; the production shift's Lambda fails when ECS runs it to roll back. */
const world = (w: any) => {
  w.alarms = [{ name: "web-5xx", trigger: { image: "web:v2", afterSeconds: 20 } }];
  w.lambdas = { "shift-check": { outcome: "SUCCEEDED", rollbackOutcome: "FAILED" } };
};
const config = {
  strategy: "BLUE_GREEN",
  bakeTimeInMinutes: 10,
  alarms: { alarmNames: ["web-5xx"], enable: true, rollback: true },
  lifecycleHooks: [
    {
      targetType: "AWS_LAMBDA",
      hookTargetArn: "arn:aws:lambda:us-east-1:123456789012:function:shift-check",
      roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
      lifecycleStages: ["PRODUCTION_TRAFFIC_SHIFT"],
    },
  ],
};

describe("a BLUE_GREEN deployment whose rollback fails", () => {
  it("fails the rollout naming the alarm and the rollback's hook, and the summary's first line says so", async () => {
    const s = listenerScenario(world);
    const outcome = await deploy(s, { config: config as never, loadBalancers: blueGreen });
    const d = await currentDeployment(s);
    expect(d?.status).toBe("ROLLBACK_FAILED");
    expect(d?.statusReason).toMatch(/^Rollback failed: lifecycle hook ecs-lambda-\S+ failed during the rollback's/);
    expect(outcome.result).toBe("failed");
    expect(outcome.message).toMatch(
      /^Deployment ecs-svc\/\d+ failed and ECS's rollback failed: alarm web-5xx triggered; hook ecs-lambda-\S+ FAILED; .*Rollback failed: lifecycle hook/,
    );
    expect(outcome.message).toContain("ECS's rollback failed too: the service needs attention now");
    const events = s.timeline.events;
    const markdown = renderSummary({
      command: "rollout",
      target,
      events,
      result: { ...outcome, serviceChanged: true },
    });
    const alert = markdown.split("\n").find((line) => line.startsWith("> ") && !line.startsWith("> [!"));
    expect(alert).toMatch(/^> Deployment `?ecs-svc\/\d+`? failed and ECS's rollback failed: alarm web-5xx triggered/);
    const why = markdown.split("#### Why\n\n")[1]?.split("\n")[0];
    expect(why).toMatch(/^- Service deployment <code>\w+<\/code> ended ROLLBACK\\_FAILED: alarm web-5xx triggered/);
  });
});

describe("cage rollout of a BLUE_GREEN service whose rollback fails", () => {
  it("passes the canary, then fails naming the alarm and the rollback's failure; the canary is long gone", async () => {
    const s = listenerScenario(world);
    // The user switched web to BLUE_GREEN with the hook and the alarm; that deployment succeeded.
    await s.deps.aws.ecs.updateService({
      ...target,
      loadBalancers: blueGreen,
      deploymentConfiguration: config as never,
      forceNewDeployment: true,
    });
    expect(await deployNatively(s, "web:1", true)).toBe("SUCCESSFUL");
    const result = await rollout(rolloutSettings(), s.deps);
    expect((await currentDeployment(s))?.status).toBe("ROLLBACK_FAILED");
    expect(result.result).toBe("failed");
    expect(result.serviceChanged).toBe(true);
    expect((await serviceState(s)).canaries).toEqual([]);
    expect(mutations(s).indexOf("StopTask")).toBeLessThan(mutations(s).lastIndexOf("UpdateService"));
    expect(result.message).toMatch(/failed and ECS's rollback failed: alarm web-5xx triggered; .*Rollback failed:/);
    const markdown = renderSummary({ command: "rollout", target, events: s.timeline.events, result });
    const alert = markdown.split("\n").find((line) => line.startsWith("> ") && !line.startsWith("> [!"));
    expect(alert).toMatch(/^> Deployment `?ecs-svc\/\d+`? failed and ECS's rollback failed: alarm web-5xx triggered/);
  });
});

describe("a ROLLING deployment whose rollback cannot start the old tasks again", () => {
  it("fails the rollout naming the circuit breaker and the old image that is gone", async () => {
    const s = listenerScenario(undefined, (b) => b.image(`${REPO}:v2`, { exitAfterSeconds: 5 }));
    const ecs = s.sim.ports("us-east-1").ecs;
    // Nothing old kept during the update, and the image web:1 runs deleted from ECR, as a lifecycle policy would.
    await ecs.updateService({ ...target, deploymentConfiguration: { minimumHealthyPercent: 0, maximumPercent: 100 } });
    const ecr = new ECRClient(simClientConfig(s.sim));
    await ecr.send(new BatchDeleteImageCommand({ repositoryName: "web", imageIds: [{ imageTag: "v1" }] }));
    const outcome = await deploy(s);
    expect((await currentDeployment(s))?.status).toBe("ROLLBACK_FAILED");
    expect(outcome.result).toBe("failed");
    expect(outcome.message).toMatch(
      /^Deployment ecs-svc\/\d+ failed and ECS's rollback failed: circuit breaker triggered: \d+ failed tasks \(threshold 3\);.* Rollback failed: \d+ tasks of service revision \S+ failed to start \(CannotPullContainerError/,
    );
  });
});
