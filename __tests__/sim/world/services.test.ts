import { describe, expect, it } from "vitest";
import { Harness } from "./harness.js";

/** Advances in steps of `step` seconds until `done` or `limit` seconds pass; returns the seconds taken. */
function until(h: Harness, done: () => boolean, limit = 3600, step = 5): number {
  for (let s = 0; s <= limit; s += step) {
    if (done()) return s;
    h.advance(step);
  }
  throw new Error(`not done after ${limit}s`);
}

const stable = (svc: any) => svc.deployments.length === 1 && svc.runningCount === svc.desiredCount;

describe("service deployments", () => {
  it("rolls web to a new revision: new tasks healthy first, then old ones drained and stopped", () => {
    const h = Harness.demo();
    const td = h.registerWeb("v2");
    const updated = h.call("ecs", "UpdateService", {
      cluster: "production",
      service: "web",
      taskDefinition: td,
    }).service;
    expect(updated.deployments.map((d: any) => [d.status, d.rolloutState])).toEqual([
      ["PRIMARY", "IN_PROGRESS"],
      ["ACTIVE", "COMPLETED"],
    ]);
    expect(updated.deployments[0].id).toMatch(/^ecs-svc\/\d{19}$/);
    h.advance(20);
    expect(h.service().runningCount).toBe(2);
    expect(h.service().pendingCount).toBe(2);
    until(h, () => stable(h.service()));
    const svc = h.service();
    expect(svc.taskDefinition).toBe(td);
    expect(svc.deployments[0]).toMatchObject({ rolloutState: "COMPLETED", runningCount: 2, failedTasks: 0 });
    const messages = svc.events.map((e: any) => e.message);
    expect(messages[0]).toBe("(service web) has reached a steady state.");
    expect(messages).toContain(`(service web) (deployment ${svc.deployments[0].id}) deployment completed.`);
    expect(messages.some((m: string) => /has started 2 tasks: \(task \w+\) \(task \w+\)\./.test(m))).toBe(true);
    expect(messages.some((m: string) => m.startsWith("(service web) has begun draining connections on 1 tasks."))).toBe(
      true,
    );
    const running = h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns;
    const tasks = h.call("ecs", "DescribeTasks", { cluster: "production", tasks: running }).tasks;
    expect(tasks.map((t: any) => t.taskDefinitionArn)).toEqual([td, td]);
    const started = [svc.deployments[0].id, "service:web"];
    expect(tasks.map((t: any) => [t.startedBy, t.group])).toEqual([started, started]);
  });

  it("never drops below minimumHealthyPercent while rolling", () => {
    const h = Harness.demo();
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", taskDefinition: h.registerWeb("v2") });
    const tg = h.service().loadBalancers[0].targetGroupArn;
    let minHealthy = 2;
    until(
      h,
      () => {
        const healthy = h
          .call("elbv2", "DescribeTargetHealth", { TargetGroupArn: tg })
          .TargetHealthDescriptions.filter((d: any) => d.TargetHealth.State === "healthy").length;
        minHealthy = Math.min(minHealthy, healthy);
        return stable(h.service());
      },
      3600,
      1,
    );
    expect(minHealthy).toBe(2);
  });

  it("fails a crashing deployment with the circuit breaker and rolls back to the old revision", () => {
    const h = Harness.demo("crash");
    const old = h.service().taskDefinition;
    const td = h.registerWeb("v2");
    const sdArn = () =>
      h.call("ecs", "ListServiceDeployments", { cluster: "production", service: "web" }).serviceDeployments[0]
        .serviceDeploymentArn;
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", taskDefinition: td });
    const failedId = h.service().deployments[0].id;
    const seconds = until(h, () => h.service().deployments.some((d: any) => d.rolloutState === "FAILED"));
    expect(seconds).toBeLessThan(600);
    const during = h.service();
    expect(during.deployments.map((d: any) => [d.status, d.taskDefinition, d.rolloutState])).toEqual([
      ["PRIMARY", old, "IN_PROGRESS"],
      ["ACTIVE", td, "FAILED"],
    ]);
    expect(during.deployments[1].failedTasks).toBeGreaterThanOrEqual(3);
    expect(during.events.map((e: any) => e.message)).toContain(
      `(service web) (deployment ${failedId}) deployment failed: tasks failed to start.`,
    );
    until(h, () => stable(h.service()));
    const after = h.service();
    expect(after.taskDefinition).toBe(old);
    expect(after.deployments[0]).toMatchObject({ status: "PRIMARY", rolloutState: "COMPLETED", runningCount: 2 });
    const sd = h.call("ecs", "DescribeServiceDeployments", { serviceDeploymentArns: [sdArn()] }).serviceDeployments[0];
    expect(sd.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(sd.deploymentCircuitBreaker).toMatchObject({ status: "TRIGGERED", threshold: 3 });
    expect(sd.rollback.serviceRevisionArn).toBe(sd.sourceServiceRevisions[0].arn);
  });

  it("replaces tasks that fail ELB health checks and trips the breaker", () => {
    const h = Harness.demo("target-unhealthy");
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", taskDefinition: h.registerWeb("v2") });
    until(h, () => h.service().deployments.some((d: any) => d.rolloutState === "FAILED"));
    const stopped = h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web", desiredStatus: "STOPPED" });
    const reasons = h
      .call("ecs", "DescribeTasks", { cluster: "production", tasks: stopped.taskArns.slice(0, 1) })
      .tasks.map((t: any) => t.stoppedReason);
    expect(reasons[0]).toMatch(/^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/);
    expect(
      h
        .service()
        .events.map((e: any) => e.message)
        .join("\n"),
    ).toContain("due to (reason Health checks failed with these codes: [500]).");
  });

  it("keeps retrying a failing deployment without the circuit breaker", () => {
    const h = Harness.demo("pull-error");
    h.call("ecs", "UpdateService", {
      cluster: "production",
      service: "web",
      taskDefinition: h.registerWeb("v2"),
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: false, rollback: false } },
    });
    h.advance(900);
    const svc = h.service();
    expect(svc.deployments[0]).toMatchObject({ rolloutState: "IN_PROGRESS" });
    expect(svc.deployments[0].failedTasks).toBeGreaterThan(3);
    expect(svc.runningCount).toBe(2);
    expect(svc.events.map((e: any) => e.message)).toContain(
      "(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
    );
  });

  it("scales with desiredCount and lists deployments newest first", () => {
    const h = Harness.demo();
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", desiredCount: 3 });
    until(h, () => h.service().runningCount === 3);
    expect(h.service().deployments).toHaveLength(1);
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", forceNewDeployment: true });
    const list = h.call("ecs", "ListServiceDeployments", { cluster: "production", service: "web" });
    expect(list.serviceDeployments.map((d: any) => d.status)).toEqual(["IN_PROGRESS", "SUCCESSFUL"]);
    expect(() => h.call("ecs", "UpdateService", { cluster: "production", service: "nope", desiredCount: 1 })).toThrow(
      expect.objectContaining({ code: "ServiceNotFoundException" }),
    );
  });

  it("creates, describes and deletes a service", () => {
    const h = Harness.demo();
    const svc = h.call("ecs", "CreateService", {
      cluster: "production",
      serviceName: "worker",
      taskDefinition: "web:1",
      desiredCount: 1,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001"], securityGroups: [] } },
    }).service;
    expect(svc).toMatchObject({ serviceName: "worker", status: "ACTIVE", desiredCount: 1 });
    until(
      h,
      () =>
        h.call("ecs", "DescribeServices", { cluster: "production", services: ["worker"] }).services[0].runningCount ===
        1,
    );
    expect(h.call("ecs", "ListServices", { cluster: "production" }).serviceArns).toHaveLength(2);
    h.call("ecs", "DeleteService", { cluster: "production", service: "worker", force: true });
    until(
      h,
      () =>
        h.call("ecs", "DescribeServices", { cluster: "production", services: ["worker"] }).services[0].status ===
        "INACTIVE",
    );
    const missing = h.call("ecs", "DescribeServices", { cluster: "production", services: ["ghost"] });
    expect(missing.failures[0].reason).toBe("MISSING");
  });

  it("stops launching when the circuit breaker fails a deployment it may not roll back", () => {
    const h = Harness.demo("pull-error");
    h.call("ecs", "UpdateService", {
      cluster: "production",
      service: "web",
      taskDefinition: h.registerWeb("v2"),
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
    });
    until(h, () => h.service().deployments[0].rolloutState === "FAILED");
    const failed = h.service().deployments[0].failedTasks;
    h.advance(600);
    const svc = h.service();
    expect(svc.deployments.map((d: any) => [d.status, d.rolloutState])).toEqual([
      ["PRIMARY", "FAILED"],
      ["ACTIVE", "COMPLETED"],
    ]);
    expect(svc.deployments[0].failedTasks).toBe(failed);
    expect(svc.runningCount).toBe(2);
  });

  it("replaces in place when maximumPercent leaves no room: stop one, start one", () => {
    const h = Harness.demo();
    h.call("ecs", "UpdateService", {
      cluster: "production",
      service: "web",
      taskDefinition: h.registerWeb("v2"),
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
    });
    let most = 0;
    until(
      h,
      () => {
        const svc = h.service();
        most = Math.max(most, svc.runningCount + svc.pendingCount);
        return stable(svc) && svc.deployments[0].rolloutState === "COMPLETED";
      },
      3600,
      1,
    );
    expect(most).toBeLessThanOrEqual(2);
  });

  it("scales down by stopping the extra task", () => {
    const h = Harness.demo();
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", desiredCount: 1 });
    until(h, () => h.service().runningCount === 1);
    expect(h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns).toHaveLength(1);
  });

  it("drains a service task stopped by hand and starts a replacement without counting a failure", () => {
    const h = Harness.demo();
    const [arn] = h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns;
    h.call("ecs", "StopTask", { cluster: "production", task: arn, reason: "debugging" });
    expect(h.task(arn)).toMatchObject({
      lastStatus: "DEACTIVATING",
      desiredStatus: "STOPPED",
      stopCode: "UserInitiated",
    });
    expect(h.health(h.ipOf(h.task(arn))).State).toBe("draining");
    until(h, () => stable(h.service()) && h.task(arn).lastStatus === "STOPPED");
    expect(h.service().deployments[0].failedTasks).toBe(0);
    expect(h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns).not.toContain(arn);
  });
});
