import type { Task } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { assessFinished, assessStarted } from "../../src/engine/run.js";

const task = (lastStatus: string, desiredStatus = "RUNNING"): Task => ({ lastStatus, desiredStatus });

describe("a one-off task's looks", () => {
  it.each([
    ["not visible yet", undefined, { done: false, seen: "not visible yet" }],
    ["pending", task("PENDING"), { done: false, seen: "PENDING" }],
    ["running", task("RUNNING"), { done: true, value: undefined }],
    ["already done: a very short task", task("STOPPED", "STOPPED"), { done: true, value: undefined }],
    ["on its way down before it ran", task("PENDING", "STOPPED"), { done: true, value: undefined }],
  ])("has started when %s", (_, seen, poll) => {
    expect(assessStarted(seen)).toEqual(poll);
  });

  it.each([
    ["running", task("RUNNING"), { done: false, seen: "RUNNING" }],
    ["deprovisioning", task("DEPROVISIONING", "STOPPED"), { done: false, seen: "DEPROVISIONING" }],
    ["not visible", undefined, { done: false, seen: "not visible" }],
  ])("has not finished while %s", (_, seen, poll) => {
    expect(assessFinished(seen)).toEqual(poll);
  });

  it("has finished once STOPPED, with the task as it ended", () => {
    const stopped = { ...task("STOPPED", "STOPPED"), containers: [{ name: "app", exitCode: 3 }] };
    expect(assessFinished(stopped)).toEqual({ done: true, value: stopped });
  });
});
