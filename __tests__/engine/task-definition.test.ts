import type { RegisterTaskDefinitionRequest, TaskDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { isRegistrationOf } from "../../src/engine/task-definition.js";

const sent: RegisterTaskDefinitionRequest = {
  family: "web",
  cpu: "256",
  containerDefinitions: [{ name: "app", image: "web:v2", portMappings: [{ containerPort: 8080 }] }],
  tags: [{ key: "team", value: "a" }],
};

/** What ECS answers for `sent`: its defaults filled in, no tags. */
const asRegistered = (change: Partial<TaskDefinition> = {}): TaskDefinition => ({
  taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
  family: "web",
  revision: 3,
  cpu: "256",
  status: "ACTIVE",
  containerDefinitions: [
    {
      name: "app",
      image: "web:v2",
      cpu: 0,
      environment: [],
      essential: true,
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
    },
  ],
  ...change,
});

describe("isRegistrationOf", () => {
  it.each<[string, TaskDefinition, boolean]>([
    ["the revision as ECS fills it in", asRegistered(), true],
    ["another image", asRegistered({ containerDefinitions: [{ name: "app", image: "web:v1" }] }), false],
    ["another cpu", asRegistered({ cpu: "512" }), false],
    ["another family", asRegistered({ family: "api" }), false],
    [
      "an extra container",
      asRegistered({ containerDefinitions: [...(asRegistered().containerDefinitions ?? []), { name: "sidecar" }] }),
      false,
    ],
    ["no container definitions", asRegistered({ containerDefinitions: undefined }), false],
  ])("%s → %s", (_, revision, expected) => {
    expect(isRegistrationOf(sent, revision)).toBe(expected);
  });
});
