import { describe, expect, it } from "vitest";
import { readSettings } from "../../src/action/inputs.js";

/** Inputs as a runner passes them: every declared input present, defaults from action.yml unless overridden. */
function reader(overrides: Record<string, string>) {
  const inputs: Record<string, string> = { command: "rollout", "deploy-context": "deploy", ...overrides };
  return (name: string) => inputs[name] ?? "";
}
const env = { AWS_REGION: "us-west-2" };

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

  // The inputs both front ends share are tried in __tests__/inputs/front-ends.test.ts; these are the action's own.
  it.each([
    [
      "command",
      "deploy",
      "'command' must be one of rollout, up, run, audit, verify, setup, diff, continue, rollback, plan, got 'deploy'",
    ],
    ["pr-comment", "yes", "'pr-comment' must be one of auto, always, never, got 'yes'"],
    ["audit-issue", "no", "'audit-issue' must be true or false, got 'no'"],
    ["create-deployment", "y", "'create-deployment' must be true or false, got 'y'"],
    ["summary", "off", "'summary' must be true or false, got 'off'"],
  ])("rejects %s: %s", (name, value, message) => {
    // Each command reads the inputs it takes (src/inputs/commands.ts): the audit's are read by `command: audit`.
    const command = ["pr-comment", "audit-issue"].includes(name) ? "audit" : "rollout";
    expect(() => readSettings(reader({ command, [name]: value }), env)).toThrow(message);
  });

  it.each([
    [{ "deploy-context": "" }, "'deploy-context' must name exactly one folder for `command: rollout`, got none"],
    [
      { "deploy-context": "a\nb" },
      "'deploy-context' must name exactly one folder for `command: rollout`, got 2 folders",
    ],
    [
      { command: "up", "deploy-context": "a, b" },
      "'deploy-context' must name exactly one folder for `command: up`, got 2 folders",
    ],
    [{ command: "run", "run-container": "app" }, "'run-command' is required when 'run-container' is set"],
    [{ command: "run", "run-command": "npm test" }, "'run-container' is required when 'run-command' is set"],
    [{ command: "run" }, "`command: run` needs 'run-container' and 'run-command'"],
    [
      { "run-container": "app", "run-command": "x" },
      "'run-container' and 'run-command' apply to `command: run` only, not `command: rollout`",
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
      "`command: audit` needs 'deploy-context' (one or more folders) or 'service' (names with 'cluster', or cluster/service pairs, one per line)",
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
    [{ service: "web, api" }, "'service' names one service for `command: rollout` (a name like web), got 'web, api'"],
    [
      { "deploy-context": "services/*/deploy" },
      "'deploy-context' names one folder for `command: rollout`; patterns like services/* are for `command: audit`",
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

  it("says what is wrong with a value before what is missing", () => {
    expect(() => readSettings(reader({ "canary-task-idle-duration": "ten" }), {})).toThrow(
      "'canary-task-idle-duration' must be a duration like 15s or 10m, got 'ten'",
    );
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
});
