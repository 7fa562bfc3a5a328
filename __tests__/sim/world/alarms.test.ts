/** Deployment alarms: world-declared CloudWatch alarms that fail a deployment in progress, and roll it back. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { WorldBuilder } from "../../../src/sim/world/index.js";
import {
  BLUE_TG,
  GREEN_TG,
  listenerWorldJson,
  PROD_RULE,
  withWebV2,
  writeListenerWorld,
} from "../conformance/listener-world.js";
import { boto, hasBoto3 } from "../conformance/tools.js";
import { Harness } from "./harness.js";

const web = { cluster: "production", service: "web" };
const alarmed = (w: any) => {
  withWebV2(w);
  w.alarms = [{ name: "web-5xx", trigger: { image: "web:v2", afterSeconds: 60 } }, { name: "web-latency" }];
};

function deploy(deploymentConfiguration: object, loadBalancers?: object[]) {
  const h = new Harness(WorldBuilder.from(listenerWorldJson(alarmed)));
  const svc = h.call("ecs", "UpdateService", {
    ...web,
    taskDefinition: "web:2",
    deploymentConfiguration,
    ...(loadBalancers ? { loadBalancers } : {}),
  }).service;
  const look = () =>
    h.call("ecs", "DescribeServiceDeployments", { serviceDeploymentArns: [svc.currentServiceDeployment] })
      .serviceDeployments[0];
  for (let t = 0; t < 3600 && ["IN_PROGRESS", "ROLLBACK_IN_PROGRESS"].includes(look().status); t += 5) h.advance(5);
  return { h, d: look() };
}

const alarms = (rollback: boolean) => ({ alarmNames: ["web-latency", "web-5xx"], enable: true, rollback });

describe("deployment alarms", () => {
  it("fail a BLUE_GREEN deployment when one fires and roll production back to blue", () => {
    const { h, d } = deploy({ strategy: "BLUE_GREEN", bakeTimeInMinutes: 10, alarms: alarms(true) }, [
      {
        targetGroupArn: BLUE_TG,
        containerName: "app",
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: GREEN_TG,
          productionListenerRule: PROD_RULE,
          roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
        },
      },
    ]);
    expect(d).toMatchObject({
      status: "ROLLBACK_SUCCESSFUL",
      alarms: { status: "TRIGGERED", alarmNames: ["web-latency", "web-5xx"], triggeredAlarmNames: ["web-5xx"] },
    });
    expect(d.statusReason).toContain("web-5xx");
    const [rule] = h.call("elbv2", "DescribeRules", { RuleArns: [PROD_RULE] }).Rules;
    expect(rule.Actions[0].ForwardConfig.TargetGroups.map((t: any) => t.Weight)).toEqual([100, 0]);
    const snap = h.world.snapshot() as any;
    expect(snap.alarms.map((a: any) => [a.AlarmName, a.StateValue])).toEqual([
      ["web-5xx", "ALARM"],
      ["web-latency", "OK"],
    ]);
  });

  it("stop a rolling deployment without rollback", () => {
    const { d } = deploy({ alarms: alarms(false) });
    expect(d).toMatchObject({ status: "STOPPED", alarms: { status: "TRIGGERED", triggeredAlarmNames: ["web-5xx"] } });
    expect(d.stoppedAt).toBeInstanceOf(Date);
  });

  it("leave a deployment alone when the alarm is not one it watches", () => {
    const { d } = deploy({ alarms: { alarmNames: ["web-latency"], enable: true, rollback: true } });
    expect(d).toMatchObject({
      status: "SUCCESSFUL",
      alarms: { status: "MONITORING_COMPLETE", triggeredAlarmNames: [] },
    });
  });
});

describe.skipIf(!hasBoto3)("an alarm set through the control API", { timeout: 60_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile: writeListenerWorld(alarmed), port: 0, log: () => {} });
  });
  afterAll(() => running?.close());
  const setAlarm = (body: object) =>
    fetch(`${running.url}/_sim/alarms`, { method: "POST", body: JSON.stringify(body) });

  it("rolls back the rolling deployment that watches it; an unknown alarm is a 404", async () => {
    const [updated] = (await boto(running.url, [
      {
        service: "ecs",
        op: "update_service",
        params: { ...web, taskDefinition: "web:2", deploymentConfiguration: { alarms: alarms(true) } },
      },
    ])) as any[];
    const arn = updated.result.service.currentServiceDeployment;
    expect((await setAlarm({ name: "web-latency", state: "ALARM", reason: "p99 > 2s" })).status).toBe(200);
    expect((await setAlarm({ name: "nope", state: "ALARM" })).status).toBe(404);
    expect((await setAlarm({ name: "web-latency", state: "RED" })).status).toBe(400);
    const [described] = (await boto(running.url, [
      { service: "ecs", op: "describe_service_deployments", params: { serviceDeploymentArns: [arn] } },
    ])) as any[];
    expect(described.result.serviceDeployments[0]).toMatchObject({
      status: expect.stringMatching(/^ROLLBACK_(IN_PROGRESS|SUCCESSFUL)$/),
      alarms: { status: "TRIGGERED", triggeredAlarmNames: ["web-latency"] },
      rollback: { reason: expect.stringContaining("web-latency") },
    });
    await fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds: 300 }) });
    const [after] = (await boto(running.url, [
      { service: "ecs", op: "describe_service_deployments", params: { serviceDeploymentArns: [arn] } },
    ])) as any[];
    expect(after.result.serviceDeployments[0].status).toBe("ROLLBACK_SUCCESSFUL");
  });
});
