/**
 * The same cases through both front ends: the action's inputs (readSettings over INPUT_* as core.getInput reads
 * them) and the CLI's flags (parseCommandLine and src/cli/settings.ts). The same value gives the same engine
 * settings, or an error that names the input in the front end's own form: `'timeout'` or `--timeout`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSettings } from "../../src/action/inputs.js";
import { parseCommandLine } from "../../src/cli/args.js";
import {
  auditInputsFrom,
  cleanupSettingsFrom,
  rolloutSettingsFrom,
  runSettingsFrom,
  upSettingsFrom,
} from "../../src/cli/settings.js";
import { loadDeployContext } from "../../src/context/load.js";
import type { Naming } from "../../src/engine/settings.js";
import { ACTION_NAMING, CLI_NAMING } from "../../src/inputs/naming.js";
import { rolloutSettingsOf, runTaskSettingsOf, upSettingsOf } from "../../src/inputs/settings.js";

type Env = Record<string, string>;
type Values = Record<string, string>;

const DIR = "deploy-example";
/** Both front ends in the same environment: a workflow run, its region, the image tag the context templates. */
const ENV: Env = { AWS_REGION: "us-east-1", GITHUB_RUN_ID: "77", IMAGE_TAG: "v2" };
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

interface FrontEnd {
  naming: Naming;
  rollout(values: Values, env?: Env): unknown;
  up(values: Values, env?: Env): unknown;
  run(values: Values, env?: Env): unknown;
  audit(values: Values, env?: Env): unknown;
}

/** The action as its main step reads it: inputs, then the deploy context, then the engine's settings. */
const action: FrontEnd = {
  naming: ACTION_NAMING,
  rollout: (values, env) => {
    const { settings, context } = actionStep("rollout", values, env);
    return rolloutSettingsOf(settings, context, ACTION_NAMING);
  },
  up: (values, env) => {
    const { settings, context } = actionStep("up", values, env);
    return upSettingsOf(settings, context, ACTION_NAMING);
  },
  run: (values, env) => {
    const { settings, context } = actionStep(
      "run",
      { "run-container": "app", "run-command": "npm test", ...values },
      env,
    );
    return runTaskSettingsOf(
      settings,
      context,
      settings.run as { container: string; command: string[] },
      ACTION_NAMING,
    );
  },
  audit: (values, env) => actionStep("audit", values, env).settings.audit,
};

function actionStep(command: string, values: Values, extra: Env = {}) {
  const env = { ...ENV, ...extra };
  const inputs: Values = { command, "deploy-context": DIR, ...values };
  const settings = readSettings((name) => inputs[name] ?? "", env);
  const dir = settings.deployContexts[0] ?? DIR;
  // As the main step loads it (src/action/deploy.ts): a given revision replaces task-definition.json.
  const revision = settings.taskDefinitionArn ? { taskDefinitionArn: settings.taskDefinitionArn } : {};
  const context = loadDeployContext(dir, { env, serviceOnly: command === "audit", ...revision });
  return { settings, context };
}

/** The CLI as `cage <command> --name=value ... <deploy-context>`. */
const cli: FrontEnd = {
  naming: CLI_NAMING,
  rollout: (values, env) => rolloutSettingsFrom(cliArgs("rollout", values, env), { ...ENV, ...env }, NOW).settings,
  up: (values, env) => upSettingsFrom(cliArgs("up", values, env), { ...ENV, ...env }, NOW).settings,
  run: (values, env) =>
    runSettingsFrom(cliArgs("run", values, env, ["app", "npm", "test"]), { ...ENV, ...env }, NOW).settings,
  audit: (values, env) => auditInputsFrom(cliArgs("audit", values, env)),
};

/** `deploy-context` is the CLI's first positional. */
function cliArgs(command: string, values: Values, env: Env = {}, after: string[] = []) {
  const { "deploy-context": dir = DIR, ...flags } = values;
  const argv = Object.entries(flags).map(([name, value]) => `--${name}=${value}`);
  return parseCommandLine([command, ...argv, dir, ...after], { ...ENV, ...env });
}

const FRONT_ENDS: [string, FrontEnd][] = [
  ["action", action],
  ["cli", cli],
];

/** A value and what it gives in the engine's settings. */
const ROLLOUT_CASES: [string, string, Record<string, unknown>][] = [
  ["region", "eu-west-1", { region: "eu-west-1" }],
  ["cluster", "staging", { cluster: "staging" }],
  ["service", "api", { service: "api" }],
  ["task-definition-arn", "web:3", { taskDefinitionArn: "web:3" }],
  [
    "task-definition-arn",
    "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
    { taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3" },
  ],
  ["canary-instance-arn", "i-0123456789abcdef0", { canaryInstanceArn: "i-0123456789abcdef0" }],
  ["update-service", "true", { updateService: true }],
  ["update-service", "FALSE", { updateService: false }],
  ["canary-task-idle-duration", "0s", { canaryTaskIdleDuration: 0 }],
  ["canary-task-idle-duration", "90", { canaryTaskIdleDuration: 90_000 }],
  ["task-running-timeout", "90s", { timeouts: expect.objectContaining({ taskRunning: 90_000 }) }],
  ["container-health-timeout", "2m", { timeouts: expect.objectContaining({ containerHealth: 120_000 }) }],
  ["target-health-timeout", "1h30m", { timeouts: expect.objectContaining({ targetHealth: 5_400_000 }) }],
  ["task-stopped-timeout", "45", { timeouts: expect.objectContaining({ taskStopped: 45_000 }) }],
  ["deployment-timeout", "10m", { timeouts: expect.objectContaining({ deployment: 600_000 }) }],
  ["timeout", "2h", { timeouts: expect.objectContaining({ overall: 7_200_000 }) }],
  ["on-deployment-failure", "leave", { onDeploymentFailure: "leave" }],
  ["on-deployment-failure", "LEAVE", { onDeploymentFailure: "leave" }],
  ["wait-if-busy", "True", { waitIfBusy: true }],
];

/** A value and the error after the input's name. */
const ROLLOUT_ERRORS: [string, string, string][] = [
  ["region", "mars-1", "must be an AWS region like us-east-1, got 'mars-1'"],
  ["task-definition-arn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3", "is in region eu-west-1"],
  ["task-definition-arn", "arn:aws:iam::123456789012:role/web", "must name an ECS task definition revision"],
  ["canary-instance-arn", "my-box", "must be a container instance ARN"],
  ["update-service", "yes", "must be true or false, got 'yes'"],
  ["wait-if-busy", "maybe", "must be true or false, got 'maybe'"],
  ["canary-task-idle-duration", "ten", "must be a duration like 15s or 10m, got 'ten'"],
  ["task-running-timeout", "15 minutes", "must be a duration like 15s or 10m, got '15 minutes'"],
  ["container-health-timeout", "-1m", "must be a duration like 15s or 10m, got '-1m'"],
  ["target-health-timeout", "0s", "must be longer than 0, got '0s'"],
  ["task-stopped-timeout", "5d", "must be a duration like 15s or 10m, got '5d'"],
  ["deployment-timeout", "0", "must be longer than 0, got '0'"],
  ["timeout", "1h30", "must be a duration like 15s or 10m, got '1h30'"],
  ["on-deployment-failure", "retry", "must be one of rollback, leave, got 'retry'"],
];

describe.each(FRONT_ENDS)("the %s front end", (_, frontEnd) => {
  const base = frontEnd.rollout({}) as Record<string, unknown>;

  it("reads a rollout with every default", () => {
    expect(base).toMatchObject({
      region: "us-east-1",
      cluster: "production",
      service: "web",
      updateService: false,
      canaryTaskIdleDuration: 15_000,
      onDeploymentFailure: "rollback",
      waitIfBusy: false,
      runId: "77",
      timeouts: {
        taskRunning: 900_000,
        containerHealth: 900_000,
        targetHealth: 900_000,
        taskStopped: 900_000,
        deployment: 1_800_000,
        overall: 3_600_000,
      },
    });
  });

  it.each(ROLLOUT_CASES)("reads %s: %s", (name, value, changed) => {
    // A given revision replaces task-definition.json: the context then holds service.json alone.
    const context = name === "task-definition-arn" ? { context: expect.objectContaining({ dir: DIR }) } : {};
    expect(frontEnd.rollout({ [name]: value })).toEqual({ ...base, ...changed, ...context });
  });

  it.each(ROLLOUT_ERRORS)("refuses %s: %s, naming the input", (name, value, message) => {
    expect(() => frontEnd.rollout({ [name]: value })).toThrow(`${frontEnd.naming.input(name)} ${message}`);
  });

  it("falls back to AWS_REGION and names the variable when its value is bad", () => {
    expect(frontEnd.rollout({}, { AWS_REGION: "eu-west-1" })).toMatchObject({ region: "eu-west-1" });
    expect(() => frontEnd.rollout({}, { AWS_REGION: "Europe" })).toThrow(
      `AWS_REGION (for ${frontEnd.naming.input("region")}) must be an AWS region like us-east-1, got 'Europe'`,
    );
  });

  it("needs a region", () => {
    expect(() => frontEnd.rollout({}, { AWS_REGION: "" })).toThrow(`${frontEnd.naming.input("region")} is required`);
  });

  it("names the run by the workflow run and its attempt", () => {
    expect(frontEnd.rollout({}, { GITHUB_RUN_ATTEMPT: "2" })).toMatchObject({ runId: "77-2" });
  });

  it("deploys to the cluster named default when neither the input nor service.json names one", () => {
    const dir = contextWithout("cluster");
    expect(frontEnd.rollout({ "deploy-context": dir })).toMatchObject({ cluster: "default", service: "web" });
  });

  it("needs a service from the input or service.json", () => {
    const dir = contextWithout("serviceName");
    expect(() => frontEnd.rollout({ "deploy-context": dir })).toThrow(
      `${frontEnd.naming.input("service")} is empty and ${dir}/service.json has no serviceName: set one of them`,
    );
  });

  it("gives up the same settings as a rollout, for the fields up takes", () => {
    const up = frontEnd.up({ "deployment-timeout": "5m", "task-definition-arn": "web:4" });
    expect(up).toEqual({
      region: "us-east-1",
      cluster: "production",
      service: "web",
      context: expect.objectContaining({ dir: DIR }),
      taskDefinitionArn: "web:4",
      timeouts: { ...(base.timeouts as object), deployment: 300_000 },
      runId: "77",
    });
  });

  it("gives run the container, the command and its timeouts", () => {
    expect(frontEnd.run({ "task-stopped-timeout": "1m" })).toMatchObject({
      cluster: "production",
      service: "web",
      container: "app",
      command: ["npm", "test"],
      timeouts: expect.objectContaining({ taskStopped: 60_000 }),
      runId: "77",
    });
  });

  it("reads an audit's gate: choices in any case, a scan wait of 0", () => {
    expect(frontEnd.audit({ "fail-on": "HIGH", "fail-on-unscanned": "all", "scan-wait-timeout": "0s" })).toMatchObject({
      source: "running",
      failOn: "high",
      failOnFixableOnly: false,
      failOnUnscanned: "all",
      scanWaitTimeout: 0,
      detail: false,
    });
    expect(frontEnd.audit({ "audit-source": "Task-Definition", detail: "true" })).toMatchObject({
      source: "task-definition",
      detail: true,
    });
  });

  it.each([
    ["audit-source", "image", "must be one of running, task-definition, deploy-context, got 'image'"],
    ["fail-on", "severe", "must be one of critical, high, medium, low, any, none, got 'severe'"],
    ["fail-on-unscanned", "public", "must be one of private, all, none, got 'public'"],
    ["fail-on-fixable-only", "on", "must be true or false, got 'on'"],
    ["scan-wait-timeout", "soon", "must be a duration like 15s or 10m, got 'soon'"],
  ])("refuses the audit's %s: %s, naming the input", (name, value, message) => {
    expect(() => frontEnd.audit({ [name]: value })).toThrow(`${frontEnd.naming.input(name)} ${message}`);
  });
});

describe("where the front ends differ, as each platform defines it", () => {
  it.each([
    ["1", true],
    ["0", false],
  ])("the CLI reads the boolean %s, which YAML 1.2 (the action) does not", (text, value) => {
    expect(cli.rollout({ "update-service": text })).toMatchObject({ updateService: value });
    expect(() => action.rollout({ "update-service": text })).toThrow(`'update-service' must be true or false`);
  });

  it("takes a CLI switch alone as true, and a canarycage variable as the flag", () => {
    const args = parseCommandLine(["rollout", "--wait-if-busy", DIR], { ...ENV, CAGE_TIMEOUT: "5m" });
    expect(rolloutSettingsFrom(args, ENV, NOW).settings).toMatchObject({
      waitIfBusy: true,
      timeouts: expect.objectContaining({ overall: 300_000 }),
    });
    const bad = parseCommandLine(["rollout", DIR], { ...ENV, CAGE_TIMEOUT: "forever" });
    expect(() => rolloutSettingsFrom(bad, ENV, NOW)).toThrow("CAGE_TIMEOUT (for --timeout) must be a duration");
  });

  it("gates an audit on critical findings in the action, on none by default in the CLI", () => {
    expect(action.audit({})).toMatchObject({ failOn: "critical" });
    expect(cli.audit({})).toMatchObject({ failOn: "none" });
  });

  it("names a run outside a workflow 'local' in the action and by its start time in the CLI", () => {
    expect(action.rollout({}, { GITHUB_RUN_ID: "" })).toMatchObject({ runId: "local" });
    expect(cli.rollout({}, { GITHUB_RUN_ID: "" })).toMatchObject({ runId: "cli-20250102030405" });
  });

  it("reads --run-id for a cleanup only as given: GITHUB_RUN_ID would narrow it to this run", () => {
    const cleanup = (argv: string[]) =>
      cleanupSettingsFrom(parseCommandLine(["cleanup", ...argv, DIR], ENV), ENV).settings;
    expect(cleanup([])).not.toHaveProperty("runId");
    expect(cleanup(["--run-id=41"])).toMatchObject({ runId: "41", cluster: "production", service: "web", drain: true });
  });

  it("lets --endpoint-url beat the SDK's per-service variables, and AWS_ENDPOINT_URL not", () => {
    const env = { ...ENV, AWS_ENDPOINT_URL_ECS: "http://127.0.0.1:5000" };
    const flag = rolloutSettingsFrom(cliArgs("rollout", { "endpoint-url": "http://127.0.0.1:4566" }, env), env, NOW);
    expect(flag.aws.endpoints?.ecs).toBe("http://127.0.0.1:4566");
    const variable = { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };
    expect(rolloutSettingsFrom(cliArgs("rollout", {}, variable), variable, NOW).aws.endpoints).toMatchObject({
      ecs: "http://127.0.0.1:5000",
      ecr: "http://127.0.0.1:4566",
    });
    expect(readSettings((name) => (name === "command" ? "setup" : ""), variable).endpoints).toMatchObject({
      ecs: "http://127.0.0.1:5000",
      ecr: "http://127.0.0.1:4566",
    });
  });
});

/** deploy-example's context without one key of service.json. */
function contextWithout(key: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-inputs-"));
  const service = JSON.parse(readFileSync(join(DIR, "service.json"), "utf8"));
  delete service[key];
  writeFileSync(join(dir, "service.json"), JSON.stringify(service));
  writeFileSync(join(dir, "task-definition.json"), readFileSync(join(DIR, "task-definition.json")));
  return dir;
}
