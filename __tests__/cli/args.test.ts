import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";

describe("parseCommandLine", () => {
  it("reads kebab-case flags and the deploy context", () => {
    const args = parseCommandLine(["rollout", "--region", "us-east-1", "--update-service", "ctx"], {});
    expect(args.command).toBe("rollout");
    expect(args.values).toMatchObject({ region: "us-east-1", "update-service": true });
    expect(args.positionals).toEqual(["ctx"]);
  });

  it("accepts canarycage's camelCase flags as aliases", () => {
    const args = parseCommandLine(
      ["rollout", "--canaryInstanceArn=i-0123456789abcdef0", "--updateService", "--taskRunningTimeout", "600", "ctx"],
      {},
    );
    expect(args.values).toMatchObject({
      "canary-instance-arn": "i-0123456789abcdef0",
      "update-service": true,
      "task-running-timeout": "600",
    });
  });

  it("reads CAGE_* variables, canarycage's misspelled one included, and says where a value came from", () => {
    const args = parseCommandLine(["rollout", "ctx"], { CAGE_REGION: "eu-west-1", CAGE_UPDATE_SERVIEC: "true" });
    expect(args.values).toMatchObject({ region: "eu-west-1", "update-service": true });
    expect(args.sources).toMatchObject({ region: "CAGE_REGION", "update-service": "CAGE_UPDATE_SERVIEC" });
  });

  it("falls back from CAGE_REGION to AWS_REGION, and a flag beats both", () => {
    expect(parseCommandLine(["audit"], { AWS_REGION: "us-west-2" }).values.region).toBe("us-west-2");
    expect(parseCommandLine(["audit"], { AWS_REGION: "us-west-2", CAGE_REGION: "eu-west-1" }).values.region).toBe(
      "eu-west-1",
    );
    expect(parseCommandLine(["audit", "--region", "ap-south-1"], { CAGE_REGION: "eu-west-1" }).values.region).toBe(
      "ap-south-1",
    );
  });

  it.each([
    [["rollout", "--canary-instance"], "unknown flag --canary-instance; did you mean --canary-instance-arn?"],
    [["rolout"], "unknown command 'rolout'; did you mean 'rollout'?; see cage --help"],
    [["rollout", "--region"], "--region needs a value"],
    [["audit", "--update-service"], "--update-service does not apply to 'audit'; see cage audit --help"],
    [["rollout", "--update-service=yes"], "--update-service is true or false, got 'yes'"],
  ])("rejects %j with a message that says what to do", (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });

  it("passes everything after -- through, for run's container command", () => {
    const args = parseCommandLine(["run", "ctx", "app", "--", "npm", "run", "migrate", "--force"], {});
    expect(args.positionals).toEqual(["ctx", "app", "npm", "run", "migrate", "--force"]);
  });
});
