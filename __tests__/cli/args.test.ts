import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { FIELDS as F } from "../../src/inputs/fields.js";

describe("parseCommandLine", () => {
  it("reads kebab-case flags and the deploy context", () => {
    const args = parseCommandLine(["rollout", "--region", "us-east-1", "--update-service", "ctx"], {});
    expect(args.command).toBe("rollout");
    expect(args.given).toEqual({ region: "us-east-1", "update-service": "true" });
    expect(args.values.get(F.updateService)).toBe(true);
    expect(args.positionals).toEqual(["ctx"]);
  });

  it("accepts canarycage's camelCase flags as aliases", () => {
    const args = parseCommandLine(
      ["rollout", "--canaryInstanceArn=i-0123456789abcdef0", "--updateService", "--taskRunningTimeout", "600", "ctx"],
      {},
    );
    expect(args.given).toEqual({
      "canary-instance-arn": "i-0123456789abcdef0",
      "update-service": "true",
      "task-running-timeout": "600",
    });
    expect(args.values.get(F.taskRunningTimeout)).toBe(600_000);
  });

  it("reads CAGE_* variables, canarycage's misspelled one included, and says where a value came from", () => {
    const { values } = parseCommandLine(["rollout", "ctx"], { CAGE_REGION: "eu-west-1", CAGE_UPDATE_SERVIEC: "true" });
    expect([values.get(F.region), values.get(F.updateService)]).toEqual(["eu-west-1", true]);
    expect([values.from(F.region), values.from(F.updateService)]).toEqual(["CAGE_REGION", "CAGE_UPDATE_SERVIEC"]);
  });

  it.each(["1", "true", "yes", "anything"])(
    "takes NO_COLOR and CI set to %s as set, as no-color.org and CI systems mean them",
    (v) => {
      const { values } = parseCommandLine(["rollout", "ctx"], {
        NO_COLOR: v,
        CI: v,
      });
      expect([values.get(F.noColor), values.get(F.ci)]).toEqual([true, true]);
      expect(values.from(F.noColor)).toBe("NO_COLOR");
    },
  );

  it("takes an empty NO_COLOR as not set", () => {
    expect(parseCommandLine(["rollout", "ctx"], { NO_COLOR: "" }).values.get(F.noColor)).not.toBe(true);
  });

  it("falls back from CAGE_REGION to AWS_REGION, and a flag beats both", () => {
    const region = (argv: string[], env: Record<string, string>) => parseCommandLine(argv, env).values.get(F.region);
    expect(region(["audit"], { AWS_REGION: "us-west-2" })).toBe("us-west-2");
    expect(region(["audit"], { AWS_REGION: "us-west-2", CAGE_REGION: "eu-west-1" })).toBe("eu-west-1");
    expect(region(["audit", "--region", "ap-south-1"], { CAGE_REGION: "eu-west-1" })).toBe("ap-south-1");
  });

  it.each([
    [["rollout", "--canary-instance"], "unknown flag --canary-instance; did you mean --canary-instance-arn?"],
    [["rolout"], "unknown command 'rolout'; did you mean 'rollout'?; see cage --help"],
    [["rollout", "--region"], "--region needs a value"],
    [["audit", "--update-service"], "--update-service does not apply to 'audit'; see cage audit --help"],
  ])("rejects %j with a message that says what to do", (argv, message) => {
    expect(() => parseCommandLine(argv, {})).toThrow(message);
  });

  it("passes everything after -- through, for run's container command", () => {
    const args = parseCommandLine(["run", "ctx", "app", "--", "npm", "run", "migrate", "--force"], {});
    expect(args.positionals).toEqual(["ctx", "app", "npm", "run", "migrate", "--force"]);
  });
});
