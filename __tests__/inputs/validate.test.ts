import { describe, expect, it } from "vitest";
import {
  booleanOf,
  canaryInstanceOf,
  durationOf,
  oneOf,
  regionOf,
  taskDefinitionOf,
} from "../../src/inputs/validate.js";

describe("durationOf", () => {
  it("names the input and the accepted form", () => {
    expect(() => durationOf("'canary-task-idle-duration'", "ten")).toThrow(
      "'canary-task-idle-duration' must be a duration like 15s, 10m or 1h30m, got 'ten'",
    );
  });
  it("accepts canarycage's bare seconds", () => {
    expect(durationOf("--taskRunningTimeout", "900")).toBe(900_000);
  });
});

describe("taskDefinitionOf", () => {
  const region = "us-east-1";
  it.each(["arn:aws:ecs:us-east-1:123456789012:task-definition/web:42", "web:42"])("accepts %s", (value) => {
    expect(taskDefinitionOf("--task-definition-arn", value, region)).toBe(value);
  });
  it.each([
    [
      "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42",
      /is in region eu-west-1 but the deployment is in us-east-1/,
    ],
    [
      "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
      /must name an ECS task definition revision .* got an ARN for ecs:service/,
    ],
    ["arn:aws:iam::123456789012:role/web", /got an ARN for iam:role/],
    ["web", /must be a task definition ARN like arn:aws:ecs:us-east-1:<account>:task-definition\/<family>:<revision>/],
    ["arn:aws:ecs:us-east-1:123456789012:task-definition/web", /must name an ECS task definition revision/],
  ])("rejects %s", (value, message) => {
    expect(() => taskDefinitionOf("--task-definition-arn", value, region)).toThrow(message);
  });
});

describe("canaryInstanceOf", () => {
  it.each([
    "i-0123456789abcdef0",
    "i-01234567",
    "0123456789abcdef0123456789abcdef",
    "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0123456789abcdef0123456789abcdef",
  ])("accepts %s", (value) => {
    expect(canaryInstanceOf("--canary-instance-arn", value, "us-east-1")).toBe(value);
  });
  it.each([
    ["arn:aws:ecs:us-west-2:123456789012:container-instance/prod/abc", /is in region us-west-2/],
    ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0", /must be a container instance ARN/],
    ["my-box", /must be a container instance ARN .* or an EC2 instance id \(i-\.\.\.\); got 'my-box'/],
  ])("rejects %s", (value, message) => {
    expect(() => canaryInstanceOf("--canary-instance-arn", value, "us-east-1")).toThrow(message);
  });
});

describe("simple values", () => {
  it.each([["us-east-1"], ["ap-northeast-1"], ["us-gov-west-1"]])("accepts region %s", (r) => {
    expect(regionOf("--region", r)).toBe(r);
  });
  it.each(["US-EAST-1", "us-east", "mars-1"])("rejects region %s", (r) => {
    expect(() => regionOf("--region", r)).toThrow(`--region must be an AWS region like us-east-1, got '${r}'`);
  });
  it("reads booleans as YAML people write them, and rejects the rest", () => {
    expect(booleanOf("'update-service'", "true")).toBe(true);
    expect(booleanOf("'update-service'", "False")).toBe(false);
    expect(() => booleanOf("'update-service'", "maybe")).toThrow("'update-service' must be true or false, got 'maybe'");
  });
  it("lists the allowed values", () => {
    expect(oneOf("--fail-on", "HIGH", ["critical", "high"] as const)).toBe("high");
    expect(() => oneOf("--fail-on", "severe", ["critical", "high"] as const)).toThrow(
      "--fail-on must be one of critical, high, got 'severe'",
    );
  });
});
