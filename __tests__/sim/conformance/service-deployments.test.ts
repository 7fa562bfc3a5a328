/** boto3 and the AWS CLI reading ECS service deployments and service revisions from `cage sim serve`. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { BLUE_TG, withWebV2, writeListenerWorld } from "./listener-world.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

const note = hasBoto3 && hasAwsCli ? "" : " (skipped: needs python3 with boto3 and the aws CLI)";
const web = { cluster: "production", service: "web" };

describe.skipIf(!hasBoto3 || !hasAwsCli)(
  `service deployments and revisions over HTTP${note}`,
  { timeout: 90_000 },
  () => {
    let running: RunningSimulator;
    beforeAll(async () => {
      running = await serve({ worldFile: writeListenerWorld(withWebV2), port: 0, log: () => {} });
    });
    afterAll(() => running?.close());
    const cli = (...args: string[]) => awsCli(running.url, args);
    const advance = (seconds: number) =>
      fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds }) });

    it("records a deployment per UpdateService; a second one replaces the first, which stops", async () => {
      const [before, first, second, list] = (await boto(running.url, [
        { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
        { service: "ecs", op: "update_service", params: { ...web, taskDefinition: "web:2" } },
        { service: "ecs", op: "update_service", params: { ...web, forceNewDeployment: true } },
        { service: "ecs", op: "list_service_deployments", params: web },
      ])) as any[];
      const initial = before.result.services[0];
      expect(initial.currentServiceRevisions).toHaveLength(1);
      const [d2, d1, d0] = list.result.serviceDeployments;
      expect(list.result.serviceDeployments).toHaveLength(3);
      expect(d0).toMatchObject({ serviceDeploymentArn: initial.currentServiceDeployment, status: "SUCCESSFUL" });
      expect(first.result.service.currentServiceDeployment).toBe(d1.serviceDeploymentArn);
      expect(second.result.service.currentServiceDeployment).toBe(d2.serviceDeploymentArn);
      expect(d1).toMatchObject({ status: "STOPPED", statusReason: "Replaced by a new service deployment" });
      expect(d2.status).toBe("IN_PROGRESS");

      const [described] = (await boto(running.url, [
        {
          service: "ecs",
          op: "describe_service_deployments",
          params: { serviceDeploymentArns: [d1.serviceDeploymentArn, d2.serviceDeploymentArn] },
        },
      ])) as any[];
      const [stopped, live] = described.result.serviceDeployments;
      expect(stopped.stoppedAt.$type).toBe("datetime");
      expect(stopped.sourceServiceRevisions.map((r: any) => r.arn)).toEqual([d0.targetServiceRevisionArn]);
      expect(live.sourceServiceRevisions.map((r: any) => r.arn)).toEqual([d1.targetServiceRevisionArn]);
      expect(live.lifecycleStage).toBeUndefined();
      expect(live.deploymentCircuitBreaker).toMatchObject({ status: "MONITORING", failureCount: 0, threshold: 3 });
      expect(live.alarms).toMatchObject({ status: "DISABLED", alarmNames: [], triggeredAlarmNames: [] });
      expect(live.deploymentConfiguration).toMatchObject({ maximumPercent: 200, minimumHealthyPercent: 100 });

      await advance(900);
      const [after, revisions, services] = (await boto(running.url, [
        {
          service: "ecs",
          op: "describe_service_deployments",
          params: { serviceDeploymentArns: [d2.serviceDeploymentArn] },
        },
        {
          service: "ecs",
          op: "describe_service_revisions",
          params: {
            serviceRevisionArns: [
              d2.targetServiceRevisionArn,
              d0.targetServiceRevisionArn,
              `${d2.targetServiceRevisionArn}9`,
            ],
          },
        },
        { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
      ])) as any[];
      const done = after.result.serviceDeployments[0];
      expect(done).toMatchObject({
        status: "SUCCESSFUL",
        targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
        deploymentCircuitBreaker: { status: "MONITORING_COMPLETE" },
      });
      const [current, old] = revisions.result.serviceRevisions;
      expect(current.taskDefinition).toMatch(/:task-definition\/web:2$/);
      expect(current.containerImages.find((c: any) => c.containerName === "app").image).toMatch(/web:v2$/);
      expect(current.resolvedConfiguration.loadBalancers).toEqual([{ targetGroupArn: BLUE_TG }]);
      expect(old.taskDefinition).toMatch(/:task-definition\/web:1$/);
      expect(old.resolvedConfiguration).toBeUndefined();
      expect(revisions.result.failures).toEqual([{ arn: `${d2.targetServiceRevisionArn}9`, reason: "MISSING" }]);
      expect(services.result.services[0].currentServiceRevisions).toEqual([
        { arn: d2.targetServiceRevisionArn, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
      ]);
    });

    it("lists by status and describes revisions with the AWS CLI; CreateService starts a deployment too", async () => {
      const created = await cli(
        "ecs",
        "create-service",
        "--cluster",
        "production",
        "--service-name",
        "api",
        "--task-definition",
        "web:1",
        "--desired-count",
        "1",
        "--launch-type",
        "FARGATE",
        "--network-configuration",
        "awsvpcConfiguration={subnets=[subnet-0a1b2c3d4e5f60001],securityGroups=[sg-0123456789abcdef0]}",
      );
      expect(created.code, created.stderr).toBe(0);
      const list = await cli("ecs", "list-service-deployments", "--cluster", "production", "--service", "api");
      expect(list.json.serviceDeployments).toHaveLength(1);
      expect(list.json.serviceDeployments[0].serviceDeploymentArn).toBe(created.json.service.currentServiceDeployment);
      const successful = await cli(
        "ecs",
        "list-service-deployments",
        "--cluster",
        "production",
        "--service",
        "web",
        "--status",
        "STOPPED",
      );
      expect(successful.json.serviceDeployments.map((d: any) => d.statusReason)).toEqual([
        "Replaced by a new service deployment",
      ]);
      const revision = await cli(
        "ecs",
        "describe-service-revisions",
        "--service-revision-arns",
        list.json.serviceDeployments[0].targetServiceRevisionArn,
      );
      expect(revision.json.serviceRevisions[0]).toMatchObject({
        serviceArn: created.json.service.serviceArn,
        launchType: "FARGATE",
        loadBalancers: [],
        networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001"] } },
      });
      const bad = await cli(
        "ecs",
        "list-service-deployments",
        "--cluster",
        "production",
        "--service",
        "api",
        "--status",
        "DONE",
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain("InvalidParameterException");
    });
  },
);
