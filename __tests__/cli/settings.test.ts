/** The CLI's reader (src/cli/settings.ts): the command line and the environment into the engine's settings. */
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import {
  cleanupSettingsFrom,
  commonSettings,
  outputFileFrom,
  rolloutSettingsFrom,
  runSettingsFrom,
  upSettingsFrom,
} from "../../src/cli/settings.js";
import { FIELDS as F } from "../../src/inputs/fields.js";

const env = { AWS_REGION: "us-east-1", IMAGE_TAG: "v2" };
const NOW = Date.parse("2026-03-04T05:06:07.890Z");
const args = (...argv: string[]) => parseCommandLine(argv, env);

describe("the CLI's settings", () => {
  it("builds a rollout from the deploy context, named by the time it started", () => {
    const { region, settings } = rolloutSettingsFrom(args("rollout", "deploy-example"), env, NOW);
    expect(region).toBe("us-east-1");
    expect(settings.runId).toBe("cli-20260304050607");
    expect([settings.cluster, settings.service]).toEqual(["production", "web"]);
    const images = settings.context?.taskDefinition?.containerDefinitions?.map((c) => c.image);
    expect(images).toContain("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2");
  });

  it("lets a flag win over service.json, and --run-id over the timestamp", () => {
    const { settings } = rolloutSettingsFrom(
      args("rollout", "--cluster", "staging", "--run-id", "r-1", "deploy-example"),
      env,
      NOW,
    );
    expect([settings.cluster, settings.service, settings.runId]).toEqual(["staging", "web", "r-1"]);
  });

  it("needs a deploy context for up, and names the command in the example", () => {
    expect(() => upSettingsFrom(args("up"), env, NOW)).toThrow(
      "a deploy context folder is required, e.g. cage up ./deploy",
    );
  });

  it("takes a rollout without a deploy context when --task-definition-arn names the revision", () => {
    const arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7";
    const { settings } = rolloutSettingsFrom(
      args("rollout", "--task-definition-arn", arn, "--service", "web"),
      env,
      NOW,
    );
    expect(settings.context).toBeUndefined();
    expect(settings.service).toBe("web");
  });

  it.each([
    [["run", "deploy-example"], "the container is missing"],
    [["run", "deploy-example", "app"], "cage run needs the command to run in container 'app'"],
    [["run", "deploy-example", "nosuch", "true"], "its containers are: app, log-router"],
  ])("refuses %j: %s", (argv, message) => {
    expect(() => runSettingsFrom(args(...argv), env, NOW)).toThrow(message);
  });

  it("runs the command after the container, as given", () => {
    const { settings } = runSettingsFrom(args("run", "deploy-example", "app", "--", "npm", "run", "migrate"), env, NOW);
    expect([settings.container, settings.command]).toEqual(["app", ["npm", "run", "migrate"]]);
  });

  it("reads a cleanup's run only as given, never from GITHUB_RUN_ID", () => {
    const withRun = { ...env, GITHUB_RUN_ID: "42" };
    const cleanup = (...argv: string[]) => cleanupSettingsFrom(parseCommandLine(argv, withRun), withRun).settings;
    expect(cleanup("cleanup", "--service", "web").runId).toBeUndefined();
    expect(cleanup("cleanup", "--service", "web", "--run-id", "7").runId).toBe("7");
  });

  it("sends every service to --endpoint-url, over the per-service variables", () => {
    const vars = { ...env, AWS_ENDPOINT_URL_ECS: "http://127.0.0.1:1111", AWS_ENDPOINT_URL: "http://127.0.0.1:2222" };
    const general = commonSettings(parseCommandLine(["audit"], vars), vars).aws.endpoints;
    expect([general?.ecs, general?.ecr]).toEqual(["http://127.0.0.1:1111", "http://127.0.0.1:2222"]);
    const argv = ["audit", "--endpoint-url", "http://127.0.0.1:3333"];
    const flag = commonSettings(parseCommandLine(argv, vars), vars).aws.endpoints;
    expect([flag?.ecs, flag?.ecr]).toEqual(["http://127.0.0.1:3333", "http://127.0.0.1:3333"]);
  });

  it("refuses an output file that leads out of the workspace through a link, before anything is written", () => {
    const workspace = mkdtempSync(join(tmpdir(), "cage-ws-"));
    const outside = mkdtempSync(join(tmpdir(), "cage-out-"));
    symlinkSync(outside, join(workspace, "out"));
    const vars = { ...env, GITHUB_WORKSPACE: workspace };
    const summary = join(workspace, "out", "summary.md");
    const parsed = parseCommandLine(["audit", "--summary", summary], vars);
    expect(() => outputFileFrom(parsed, F.summaryFile, vars)).toThrow(/--summary is '.*', which leads outside/);
    const inside = join(workspace, "summary.md");
    expect(outputFileFrom(parseCommandLine(["audit", "--summary", inside], vars), F.summaryFile, vars)).toBe(inside);
  });
});
