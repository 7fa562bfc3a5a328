import { describe, expect, it } from "vitest";
import { Harness } from "./harness.js";

const describeWeb = (h: Harness) =>
  h.call("ecs", "DescribeServices", { cluster: "production", services: ["web"] }).services[0];

describe("UpdateService's service settings", () => {
  it("sets the ones it names, as ECS does, and keeps the others", () => {
    const h = Harness.demo();
    h.call("ecs", "UpdateService", {
      cluster: "production",
      service: "web",
      propagateTags: "SERVICE",
      enableECSManagedTags: true,
      placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
    });
    expect(describeWeb(h)).toMatchObject({
      propagateTags: "SERVICE",
      enableECSManagedTags: true,
      enableExecuteCommand: false,
      placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }],
      placementConstraints: [],
    });
    h.call("ecs", "UpdateService", { cluster: "production", service: "web", enableExecuteCommand: true });
    expect(describeWeb(h)).toMatchObject({ propagateTags: "SERVICE", enableExecuteCommand: true });
  });
});
