import { describe, expect, it } from "vitest";
import { SimError } from "../../../src/sim/types.js";
import { Harness, REPO, SUBNETS } from "./harness.js";

describe("demo world at load", () => {
  it("runs web with two healthy tasks on one completed deployment", () => {
    const h = Harness.demo();
    const svc = h.service();
    expect(svc.runningCount).toBe(2);
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments[0].rolloutState).toBe("COMPLETED");
    expect(svc.events[0].message).toBe("(service web) has reached a steady state.");
    const health = h.call("elbv2", "DescribeTargetHealth", { TargetGroupArn: svc.loadBalancers[0].targetGroupArn });
    expect(health.TargetHealthDescriptions.map((d: any) => d.TargetHealth.State)).toEqual(["healthy", "healthy"]);
  });
});

describe("task lifecycle", () => {
  it("moves a canary through PROVISIONING, PENDING, ACTIVATING to RUNNING with a healthy container", () => {
    const h = Harness.demo();
    const td = h.registerWeb("v2");
    const { tasks, failures } = h.runCanary(td);
    expect(failures).toEqual([]);
    const arn = tasks[0].taskArn;
    expect(tasks[0].lastStatus).toBe("PROVISIONING");
    const seen: string[] = [];
    for (let s = 0; s <= 40; s += 1) {
      const status = h.task(arn).lastStatus;
      if (seen.at(-1) !== status) seen.push(status);
      h.advance(1);
    }
    expect(seen).toEqual(["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"]);
    const task = h.task(arn);
    expect(task.healthStatus).toBe("HEALTHY");
    expect(task.containers.find((c: any) => c.name === "app").imageDigest).toMatch(/^sha256:/);
    const eni = task.attachments[0];
    expect(eni.type).toBe("ElasticNetworkInterface");
    expect(eni.details.map((d: any) => d.name)).toContain("networkInterfaceId");
    expect(SUBNETS).toContain(eni.details.find((d: any) => d.name === "subnetId").value);
  });

  it("stops a task on StopTask through STOPPING and DEPROVISIONING with UserInitiated", () => {
    const h = Harness.demo();
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(60);
    h.call("ecs", "StopTask", { cluster: "production", task: arn, reason: "canary done" });
    expect(h.task(arn).lastStatus).toBe("STOPPING");
    expect(h.task(arn).desiredStatus).toBe("STOPPED");
    h.advance(3);
    expect(h.task(arn).lastStatus).toBe("DEPROVISIONING");
    h.advance(5);
    const task = h.task(arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "canary done" });
    expect(task.containers.find((c: any) => c.name === "app").exitCode).toBe(0);
  });

  it("stops a task whose image cannot be pulled with CannotPullContainerError", () => {
    const h = Harness.demo("pull-error");
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(60);
    const task = h.task(arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "TaskFailedToStart" });
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError/);
    expect(task.containers.find((c: any) => c.name === "app").reason).toContain(`${REPO}:v2`);
  });

  it("stops a task whose secret cannot be read with ResourceInitializationError", () => {
    const h = Harness.demo("secret-error");
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(60);
    const task = h.task(arn);
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: .*parameter\/web\/database-url/);
    expect(task.startedAt).toBeUndefined();
  });

  it("reports an essential container that exits with its exit code", () => {
    const h = Harness.demo("crash");
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(30);
    expect(h.task(arn).lastStatus).toBe("RUNNING");
    h.advance(30);
    const task = h.task(arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "EssentialContainerExited" });
    expect(task.stoppedReason).toBe("Essential container in task exited");
    expect(task.containers.find((c: any) => c.name === "app").exitCode).toBe(1);
  });

  it("gives an exiting container the image's exit reason", () => {
    const h = Harness.demo(undefined, (b) =>
      b.image(`${REPO}:v2`, { bootSeconds: 25, exitAfterSeconds: 10, exitReason: "OutOfMemoryError: killed" }),
    );
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(60);
    const task = h.task(arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "EssentialContainerExited" });
    expect(task.containers.find((c: any) => c.name === "app")).toMatchObject({
      exitCode: 1,
      reason: "OutOfMemoryError: killed",
    });
  });

  it("stops a task as someone else's StopTask would, with that caller's reason, before a later exit", () => {
    const reason = "ops\n::error::x";
    const h = Harness.demo(undefined, (b) =>
      b.image(`${REPO}:v2`, { bootSeconds: 25, exitAfterSeconds: 30, stopTaskAfterSeconds: 5, stopTaskReason: reason }),
    );
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(29);
    expect(h.task(arn)).toMatchObject({ lastStatus: "RUNNING", desiredStatus: "RUNNING" });
    h.advance(1);
    expect(h.task(arn)).toMatchObject({ desiredStatus: "STOPPED", stopCode: "UserInitiated" });
    h.advance(60);
    const task = h.task(arn);
    expect(task).toMatchObject({ lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: reason });
    expect(task.containers.find((c: any) => c.name === "app").exitCode).toBe(0);
  });

  it.each([
    ["container-unhealthy", ["UNHEALTHY", "UNHEALTHY"]],
    ["container-flapping", ["HEALTHY", "UNHEALTHY"]],
  ])("reports container health for %s", (variant, expected) => {
    const h = Harness.demo(variant);
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(25 + 9);
    expect(h.task(arn).healthStatus).toBe("UNKNOWN");
    h.advance(1);
    const first = h.task(arn).healthStatus;
    h.advance(30);
    expect([first, h.task(arn).healthStatus]).toEqual(expected);
  });

  it("fails a task whose subnet has no free IP", () => {
    const h = Harness.demo("no-free-ips");
    const free = h
      .call("ec2", "DescribeSubnets", { SubnetIds: SUBNETS })
      .Subnets.map((s: any) => s.AvailableIpAddressCount);
    expect(free).toEqual([0, 0]);
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(10);
    expect(h.task(arn).stoppedReason).toContain("InsufficientFreeAddressesInSubnet");
  });

  it("answers MISSING for unknown tasks and ClusterNotFoundException for unknown clusters", () => {
    const h = Harness.demo();
    const out = h.call("ecs", "DescribeTasks", { cluster: "production", tasks: ["0123"] });
    expect(out.failures[0].reason).toBe("MISSING");
    expect(() => h.call("ecs", "DescribeTasks", { cluster: "nope", tasks: ["x"] })).toThrow(SimError);
    try {
      h.call("ecs", "DescribeTasks", { cluster: "nope", tasks: ["x"] });
    } catch (e) {
      expect((e as SimError).code).toBe("ClusterNotFoundException");
    }
  });

  it("returns the same tasks for a repeated clientToken", () => {
    const h = Harness.demo();
    const td = h.registerWeb("v2");
    const a = h.runCanary(td, { clientToken: "abc" });
    const b = h.runCanary(td, { clientToken: "abc" });
    expect(b.tasks[0].taskArn).toBe(a.tasks[0].taskArn);
  });

  it("lists tasks by family, startedBy, service and desired status, in pages", () => {
    const h = Harness.demo();
    const td = h.registerWeb("v2");
    h.runCanary(td, { startedBy: "cage", count: 3 });
    expect(h.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns).toHaveLength(2);
    expect(h.call("ecs", "ListTasks", { cluster: "production", startedBy: "cage" }).taskArns).toHaveLength(3);
    const page1 = h.call("ecs", "ListTasks", { cluster: "production", family: "web", maxResults: 4 });
    expect(page1.taskArns).toHaveLength(4);
    const page2 = h.call("ecs", "ListTasks", { cluster: "production", family: "web", nextToken: page1.nextToken });
    expect(page2.taskArns).toHaveLength(1);
    expect(page2.nextToken).toBeUndefined();
    expect(h.call("ecs", "ListTasks", { cluster: "production", desiredStatus: "STOPPED" }).taskArns).toEqual([]);
  });

  it("keeps tags given to RunTask", () => {
    const h = Harness.demo();
    const arn = h.runCanary(h.registerWeb("v2"), { tags: [{ key: "canary", value: "yes" }] }).tasks[0].taskArn;
    expect(h.call("ecs", "ListTagsForResource", { resourceArn: arn }).tags).toEqual([{ key: "canary", value: "yes" }]);
  });

  it("applies an image's behaviour when the task definition names it by digest, and reports that digest", () => {
    const h = Harness.demo("pull-error");
    const digest = h.call("ecr", "DescribeImages", { repositoryName: "web", imageIds: [{ imageTag: "v2" }] })
      .imageDetails[0].imageDigest;
    const arn = h.runCanary(h.registerWeb(digest)).tasks[0].taskArn;
    h.advance(60);
    expect(h.task(arn).stoppedReason).toMatch(/^CannotPullContainerError/);
    const healthy = Harness.demo();
    const v1 = healthy.call("ecr", "DescribeImages", { repositoryName: "web", imageIds: [{ imageTag: "v1" }] })
      .imageDetails[0];
    const running = healthy.call("ecs", "ListTasks", { cluster: "production", serviceName: "web" }).taskArns[0];
    expect(healthy.task(running).containers.find((c: any) => c.name === "app").imageDigest).toBe(v1.imageDigest);
  });
});
