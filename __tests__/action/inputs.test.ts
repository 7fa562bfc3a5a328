import { describe, expect, it } from "vitest";
import { readSettings } from "../../src/action/inputs.js";

/** Inputs as a runner passes them: every declared input present, defaults from action.yml unless overridden. */
function reader(overrides: Record<string, string>) {
  const inputs: Record<string, string> = { command: "rollout", "deploy-context": "deploy", ...overrides };
  return (name: string) => inputs[name] ?? "";
}
const env = { AWS_REGION: "us-west-2" };
const AUDIT_INPUTS = [
  "scan-wait-timeout",
  "audit-source",
  "fail-on",
  "fail-on-unscanned",
  "pr-comment",
  "fail-on-fixable-only",
  "detail",
  "audit-issue",
];

describe("readSettings", () => {
  it("reads a rollout with every default", () => {
    const settings = readSettings(reader({}), env);
    expect(readSettings(reader({ command: "audit" }), env).audit).toMatchObject({
      source: "running",
      failOn: "critical",
      failOnUnscanned: "private",
      scanWaitTimeout: 300_000,
    });
    expect(settings).toMatchObject({
      command: "rollout",
      region: "us-west-2",
      deployContexts: ["deploy"],
      updateService: false,
      canaryTaskIdleDuration: 15_000,
      onDeploymentFailure: "rollback",
      summary: true,
      timeouts: { taskRunning: 900_000, deployment: 1_800_000, overall: 3_600_000 },
      github: { prComment: "auto", auditIssue: false, createDeployment: false },
      runId: "local",
    });
  });

  it.each([
    ["canary-task-idle-duration", "ten", "'canary-task-idle-duration' must be a duration like 15s or 10m, got 'ten'"],
    [
      "task-running-timeout",
      "15 minutes",
      "'task-running-timeout' must be a duration like 15s or 10m, got '15 minutes'",
    ],
    ["container-health-timeout", "-1m", "'container-health-timeout' must be a duration like 15s or 10m, got '-1m'"],
    ["target-health-timeout", "0s", "'target-health-timeout' must be longer than 0, got '0s'"],
    ["task-stopped-timeout", "5d", "'task-stopped-timeout' must be a duration like 15s or 10m, got '5d'"],
    ["deployment-timeout", "0", "'deployment-timeout' must be longer than 0, got '0'"],
    ["timeout", "1h30", "'timeout' must be a duration like 15s or 10m, got '1h30'"],
    ["scan-wait-timeout", "soon", "'scan-wait-timeout' must be a duration like 15s or 10m, got 'soon'"],
    ["command", "deploy", "'command' must be one of rollout, up, run, audit, setup, got 'deploy'"],
    ["on-deployment-failure", "retry", "'on-deployment-failure' must be one of rollback, leave, got 'retry'"],
    ["audit-source", "image", "'audit-source' must be one of running, task-definition, deploy-context, got 'image'"],
    ["fail-on", "severe", "'fail-on' must be one of critical, high, medium, low, any, none, got 'severe'"],
    ["fail-on-unscanned", "public", "'fail-on-unscanned' must be one of private, all, none, got 'public'"],
    ["pr-comment", "yes", "'pr-comment' must be one of auto, always, never, got 'yes'"],
    ["update-service", "yes", "'update-service' must be true or false, got 'yes'"],
    ["wait-if-busy", "1", "'wait-if-busy' must be true or false, got '1'"],
    ["fail-on-fixable-only", "on", "'fail-on-fixable-only' must be true or false, got 'on'"],
    ["detail", "tRuE", "'detail' must be true or false, got 'tRuE'"],
    ["audit-issue", "no", "'audit-issue' must be true or false, got 'no'"],
    ["create-deployment", "y", "'create-deployment' must be true or false, got 'y'"],
    ["summary", "off", "'summary' must be true or false, got 'off'"],
  ])("rejects %s: %s", (name, value, message) => {
    // Each command reads the inputs it takes (src/inputs/commands.ts): the audit's are read by `command: audit`.
    const command = AUDIT_INPUTS.includes(name) ? "audit" : "rollout";
    expect(() => readSettings(reader({ command, [name]: value }), env)).toThrow(message);
  });

  it.each([
    [{ "deploy-context": "" }, "'deploy-context' must name exactly one folder for 'rollout', got none"],
    [{ "deploy-context": "a\nb" }, "'deploy-context' must name exactly one folder for 'rollout', got 2 folders"],
    [
      { command: "up", "deploy-context": "a, b" },
      "'deploy-context' must name exactly one folder for 'up', got 2 folders",
    ],
    [{ command: "run", "run-container": "app" }, "'run-command' is required when 'run-container' is set"],
    [{ command: "run", "run-command": "npm test" }, "'run-container' is required when 'run-command' is set"],
    [{ command: "run" }, "'run' needs 'run-container' and 'run-command'"],
    [
      { "run-container": "app", "run-command": "x" },
      "'run-container' and 'run-command' apply to command: run only, not command: rollout",
    ],
    [
      { command: "run", "run-container": "app", "run-command": "[npm" },
      `'run-command' must be a JSON array of strings like ["npm", "test"], got '[npm'`,
    ],
    [
      { command: "run", "run-container": "app", "run-command": "[1, 2]" },
      `'run-command' must be a JSON array of strings like ["npm", "test"], got '[1, 2]'`,
    ],
    [
      { command: "audit", "deploy-context": "", cluster: "c" },
      "'audit' needs 'deploy-context' (one or more folders) or 'service' (names with 'cluster', or cluster/service pairs, one per line)",
    ],
    [
      { command: "audit", "deploy-context": "", service: "production/web\napi" },
      "'service' entry 'api' is neither a name with 'cluster' set nor a cluster/service pair like production/web",
    ],
    [
      { command: "audit", "deploy-context": "", cluster: "c", service: "web, a/b/c" },
      "'service' entry 'a/b/c' is neither a name with 'cluster' set nor a cluster/service pair",
    ],
    [
      { command: "audit", "deploy-context": "deploy", service: "web\napi" },
      "'service' overrides one deploy context's service; to audit several services, name them without 'deploy-context'",
    ],
    [{ service: "web, api" }, "'service' names one service for 'rollout' (a name like web), got 'web, api'"],
    [
      { "deploy-context": "services/*/deploy" },
      "'deploy-context' names one folder for 'rollout'; patterns like services/* are for 'audit'",
    ],
    [
      { command: "audit", "deploy-context": "services/*/deploy", service: "web" },
      "'cluster' and 'service' override a single 'deploy-context'; with several folders, leave them empty",
    ],
    [
      { command: "audit", "deploy-context": "", cluster: "c", service: "s", "audit-source": "deploy-context" },
      "'audit-source: deploy-context' needs 'deploy-context'",
    ],
    [
      { command: "audit", "deploy-context": "a\nb", service: "s" },
      "'cluster' and 'service' override a single 'deploy-context'; with several folders, leave them empty",
    ],
  ])("rejects the combination %j", (inputs, message) => {
    expect(() => readSettings(reader(inputs), env)).toThrow(message);
  });

  it("reads an audit's services as names in 'cluster' and cluster/service pairs, one per line or comma", () => {
    const settings = readSettings(
      reader({ command: "audit", "deploy-context": "", cluster: "prod", service: "web\nstaging/api, worker" }),
      env,
    );
    expect(settings.services).toEqual([
      { cluster: "prod", service: "web" },
      { cluster: "staging", service: "api" },
      { cluster: "prod", service: "worker" },
    ]);
  });

  it("needs a region from the input or AWS_REGION", () => {
    expect(() => readSettings(reader({}), {})).toThrow(
      "'region' is required: set it, or the AWS_REGION environment variable",
    );
    expect(readSettings(reader({ region: "eu-west-1" }), env).region).toBe("eu-west-1");
  });

  it("needs nothing else for setup", () => {
    expect(readSettings(reader({ command: "setup", "deploy-context": "" }), {}).command).toBe("setup");
  });

  it.each([
    ["npm run migrate", ["npm", "run", "migrate"]],
    ['["sh", "-c", "echo hi there"]', ["sh", "-c", "echo hi there"]],
  ])("reads run-command %s", (command, words) => {
    const settings = readSettings(reader({ command: "run", "run-container": "app", "run-command": command }), env);
    expect(settings.run).toEqual({ container: "app", command: words });
  });

  it("reads several deploy contexts for audit, by line or comma", () => {
    const settings = readSettings(reader({ command: "audit", "deploy-context": "svc/a\nsvc/b, svc/c\n\n" }), env);
    expect(settings.deployContexts).toEqual(["svc/a", "svc/b", "svc/c"]);
  });

  it.each([
    ["1h30m", 5_400_000],
    ["90s", 90_000],
    ["45", 45_000],
  ])("reads the timeout %s", (value, ms) => {
    expect(readSettings(reader({ timeout: value }), env).timeouts.overall).toBe(ms);
  });

  it("lets the idle duration be zero", () => {
    expect(readSettings(reader({ "canary-task-idle-duration": "0s" }), env).canaryTaskIdleDuration).toBe(0);
  });

  it("takes AWS endpoints per service, then the general one", () => {
    const settings = readSettings(reader({}), {
      ...env,
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      AWS_ENDPOINT_URL_ECS: "http://127.0.0.1:5000",
    });
    expect(settings.endpoints).toEqual({
      ecs: "http://127.0.0.1:5000",
      ecr: "http://127.0.0.1:4566",
      elbv2: "http://127.0.0.1:4566",
      ec2: "http://127.0.0.1:4566",
    });
  });

  it("rejects an endpoint that is not a URL", () => {
    expect(() => readSettings(reader({}), { ...env, AWS_ENDPOINT_URL_EC2: "localhost:1" })).toThrow(
      "AWS_ENDPOINT_URL_EC2 must be a URL like http://127.0.0.1:4566, got 'localhost:1'",
    );
  });

  it("names the run by the workflow run id and attempt", () => {
    expect(readSettings(reader({}), { ...env, GITHUB_RUN_ID: "77", GITHUB_RUN_ATTEMPT: "2" }).runId).toBe("77-2");
  });
});
