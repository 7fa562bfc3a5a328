import type { Task } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { containerHealth, hostPortOf, isStopping, stopDescription } from "../../src/engine/task-state.js";

describe("stopDescription", () => {
  it("reports the stop code, the stopped reason and every container's exit code and reason", () => {
    const task: Task = {
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      containers: [
        { name: "app", exitCode: 1, reason: "OutOfMemoryError: Container killed due to memory usage" },
        { name: "log-router", exitCode: 0 },
        { name: "sidecar" },
      ],
    };
    expect(stopDescription(task)).toBe(
      'stopped (EssentialContainerExited: Essential container in task exited); container "app" exited with code 1 (OutOfMemoryError: Container killed due to memory usage); container "log-router" exited with code 0',
    );
  });

  it("describes a task on its way down without crashing on missing fields", () => {
    expect(stopDescription({ lastStatus: "DEACTIVATING", desiredStatus: "STOPPED" })).toBe(
      "stopping (now DEACTIVATING)",
    );
  });
});

describe("isStopping", () => {
  it.each([
    [{ lastStatus: "RUNNING", desiredStatus: "RUNNING" }, false],
    [{ lastStatus: "RUNNING", desiredStatus: "STOPPED" }, true],
    [{ lastStatus: "STOPPED" }, true],
    [{ lastStatus: "PENDING" }, false],
  ])("%j → %s", (task, stopping) => {
    expect(isStopping(task)).toBe(stopping);
  });
});

describe("containerHealth", () => {
  it("sorts the checked containers into healthy, unhealthy and pending", () => {
    const task: Task = {
      containers: [
        { name: "app", healthStatus: "HEALTHY" },
        { name: "worker", healthStatus: "UNHEALTHY" },
        { name: "proxy", healthStatus: "UNKNOWN" },
        { name: "unchecked", healthStatus: "UNHEALTHY" },
      ],
    };
    expect(containerHealth(task, ["app", "worker", "proxy", "missing"])).toEqual({
      healthy: ["app"],
      unhealthy: ["worker"],
      pending: [
        { name: "proxy", status: "UNKNOWN" },
        { name: "missing", status: "UNKNOWN" },
      ],
    });
  });
});

describe("hostPortOf", () => {
  it("finds the dynamic host port bound to the given container port", () => {
    const task: Task = {
      containers: [
        {
          name: "app",
          networkBindings: [
            { containerPort: 9000, hostPort: 32001 },
            { containerPort: 8080, hostPort: 49153 },
          ],
        },
      ],
    };
    expect(hostPortOf(task, "app", 8080)).toBe(49153);
    expect(hostPortOf(task, "app", 7000)).toBeUndefined();
  });
});
