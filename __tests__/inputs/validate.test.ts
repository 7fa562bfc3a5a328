import { describe, expect, it } from "vitest";
import {
  actionBooleanOf,
  canaryInstanceOf,
  choiceOf,
  cliBooleanOf,
  durationOf,
  endpointsOf,
  listOf,
  regionOf,
  runIdFromEnv,
  taskDefinitionOf,
  urlOf,
} from "../../src/inputs/validate.js";

describe("durationOf", () => {
  it("names the input and the accepted form", () => {
    expect(() => durationOf("'canary-task-idle-duration'", "ten")).toThrow(
      "'canary-task-idle-duration' must be a duration like 15s or 10m, got 'ten'",
    );
  });
  it("refuses 0 where it could never be met", () => {
    expect(durationOf("--timeout", "0s")).toBe(0);
    expect(() => durationOf("--timeout", "0s", { positive: true })).toThrow(
      "--timeout must be longer than 0, got '0s'",
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
  it.each([
    ["true", true],
    ["True", true],
    ["TRUE", true],
    ["false", false],
    ["False", false],
    ["FALSE", false],
  ])("reads the action's boolean %s as @actions/core's getBooleanInput does", (text, value) => {
    expect(actionBooleanOf("'update-service'", text)).toBe(value);
  });
  it.each(["yes", "1", "tRuE", "on", ""])("refuses the action's boolean %j", (text) => {
    expect(() => actionBooleanOf("'update-service'", text)).toThrow(
      `'update-service' must be true or false, got '${text}'`,
    );
  });
  it.each([
    ["true", true],
    ["TRUE", true],
    ["tRuE", true],
    ["1", true],
    ["false", false],
    ["0", false],
  ])("reads the CLI's boolean %s", (text, value) => {
    expect(cliBooleanOf("--update-service", text)).toBe(value);
  });
  it.each(["yes", "2", "on", ""])("refuses the CLI's boolean %j", (text) => {
    expect(() => cliBooleanOf("--update-service", text)).toThrow(
      `--update-service must be true or false, got '${text}'`,
    );
  });
  it("matches a choice whatever its case, and lists the allowed values", () => {
    expect(choiceOf("--fail-on", " HIGH", ["critical", "high"] as const)).toBe("high");
    expect(() => choiceOf("--fail-on", "severe", ["critical", "high"] as const)).toThrow(
      "--fail-on must be one of critical, high, got 'severe'",
    );
  });
  it.each(["http://127.0.0.1:4566", "https://ecs.us-east-1.amazonaws.com", "http://localhost:4566/"])(
    "accepts the endpoint %s",
    (url) => {
      expect(urlOf("--endpoint-url", url)).toBe(url);
    },
  );
  it.each(["localhost:4566", "ftp://host", "http://", "http://a b", "127.0.0.1"])("refuses the endpoint %s", (url) => {
    expect(() => urlOf("--endpoint-url", url)).toThrow(
      `--endpoint-url must be a URL like http://127.0.0.1:4566, got '${url}'`,
    );
  });
  it("splits a list on lines and commas, dropping blanks", () => {
    expect(listOf(" a\nb, c,,\n")).toEqual(["a", "b", "c"]);
  });
});

describe("endpointsOf", () => {
  const general = "http://127.0.0.1:4566";
  const own = "http://127.0.0.1:5000";
  it("takes a service's own variable over the general one", () => {
    expect(endpointsOf({ AWS_ENDPOINT_URL: general, AWS_ENDPOINT_URL_ECS: own })).toEqual({
      ecs: own,
      ecr: general,
      elbv2: general,
      ec2: general,
      cloudwatch: general,
    });
  });
  it("takes an explicit general endpoint over every service's variable", () => {
    const flag = { url: general, label: "--endpoint-url", explicit: true };
    expect(endpointsOf({ AWS_ENDPOINT_URL_ECS: own }, flag).ecs).toBe(general);
  });
  it("names the variable that is not a URL", () => {
    expect(() => endpointsOf({ AWS_ENDPOINT_URL_EC2: "localhost:1" })).toThrow(
      "AWS_ENDPOINT_URL_EC2 must be a URL like http://127.0.0.1:4566, got 'localhost:1'",
    );
  });
});

describe("runIdFromEnv", () => {
  it.each([
    [{ GITHUB_RUN_ID: "77" }, "77"],
    [{ GITHUB_RUN_ID: "77", GITHUB_RUN_ATTEMPT: "2" }, "77-2"],
    [{ GITHUB_RUN_ATTEMPT: "2" }, undefined],
  ])("names the run of %j as %s", (env, id) => {
    expect(runIdFromEnv(env)).toBe(id);
  });
});
