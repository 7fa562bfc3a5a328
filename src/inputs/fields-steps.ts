/**
 * The fields of one front end's own step (see fields.ts): the action's GitHub integration, summary and `run`
 * inputs; the CLI's output, endpoint and run-id flags, and the flags kept for canarycage compatibility.
 */
import { ACTION, type At, bool, CLI, choice, type Field, text } from "./field.js";
import { runIdFromEnv, runIdOf, urlOf } from "./validate.js";

/** A variable that means "on" when set to anything (no-color.org; CI systems set CI to true, 1 or yes). */
const presence = (variable: string) => (env: Record<string, string | undefined>) =>
  env[variable] ? { variable, text: "true" } : undefined;

export const PR_COMMENT = ["auto", "always", "never"] as const;
export type PrComment = (typeof PR_COMMENT)[number];

export const STEP_FIELDS = {
  githubToken: {
    name: "github-token",
    offeredBy: ACTION,
    flag: "value",
    actionYmlDefault: "${{ github.token }}",
    description: "Token for PR comments, audit issues and deployments.",
    parse: text,
  },
  prComment: {
    name: "pr-comment",
    offeredBy: ACTION,
    flag: "value",
    default: "auto",
    description:
      "Sticky PR comment of `audit` (`auto`: only when there are findings or a previous comment) and `plan` (`auto` and `always`: the plan on every push): `auto`, `always` or `never`.",
    parse: choice(PR_COMMENT),
  },
  auditIssue: {
    name: "audit-issue",
    offeredBy: ACTION,
    flag: "switch",
    default: "false",
    description:
      "Keep one issue per service up to date with the audit (create, update, close when clean), for scheduled audits.",
    parse: bool,
  },
  createDeployment: {
    name: "create-deployment",
    offeredBy: ACTION,
    flag: "switch",
    default: "false",
    description: "Record the rollout as a GitHub Deployment with in_progress, success and failure statuses.",
    parse: bool,
  },
  environment: {
    name: "environment",
    offeredBy: ACTION,
    flag: "value",
    description: "GitHub Deployment environment name. Empty means the service name.",
    parse: text,
  },
  summary: {
    name: "summary",
    offeredBy: ACTION,
    flag: "switch",
    default: "true",
    description: "Write the job summary.",
    parse: bool,
  },
  runContainer: {
    name: "run-container",
    offeredBy: ACTION,
    flag: "value",
    description: "`run` only: the container whose command is replaced.",
    parse: text,
  },
  runCommand: {
    name: "run-command",
    offeredBy: ACTION,
    flag: "value",
    description: '`run` only: the command, as a JSON array (`["npm", "run", "migrate"]`) or words separated by spaces.',
    parse: text,
  },
  json: {
    name: "json",
    offeredBy: CLI,
    flag: "switch",
    default: "false",
    description: "print JSON (audit report, or the rollout timeline) instead of text",
    parse: bool,
  },
  summaryFile: {
    name: "summary",
    offeredBy: CLI,
    flag: "value",
    valueName: "file",
    description: "write the job summary (markdown) to this file",
    parse: text,
  },
  endpointUrl: {
    name: "endpoint-url",
    offeredBy: CLI,
    flag: "value",
    env: { cli: ["AWS_ENDPOINT_URL"] },
    valueName: "url",
    description: "send every AWS call to this endpoint (e.g. `cage sim serve`)",
    parse: (value: string, at: At) => urlOf(at.label, value),
  },
  /** The action has no such input: it is always the workflow run's id. */
  runId: {
    name: "run-id",
    offeredBy: CLI,
    flag: "value",
    env: { action: ["GITHUB_RUN_ID"], cli: ["GITHUB_RUN_ID"] },
    fromEnv: (env: Record<string, string | undefined>) => {
      const id = runIdFromEnv(env);
      return id === undefined ? undefined : { variable: "GITHUB_RUN_ID", text: id };
    },
    description:
      "names this run in the canary's tags (default: the workflow run, else a timestamp); cleanup: only the canary and tasks of that run",
    parse: (value: string, at: At) => runIdOf(at.label, value),
  },
  variant: {
    name: "variant",
    offeredBy: CLI,
    flag: "value",
    valueName: "name",
    description: "demo: a failing world variant to try (see deploy-example/)",
    parse: text,
  },
  ci: {
    name: "ci",
    offeredBy: CLI,
    flag: "switch",
    env: { cli: ["CI"] },
    fromEnv: presence("CI"),
    description: "accepted for canarycage compatibility (no prompts are ever shown)",
    parse: bool,
  },
  noColor: {
    name: "no-color",
    offeredBy: CLI,
    flag: "switch",
    env: { cli: ["NO_COLOR"] },
    fromEnv: presence("NO_COLOR"),
    description: "accepted for canarycage compatibility",
    parse: bool,
  },
  help: { name: "help", offeredBy: CLI, flag: "switch", description: "show help", parse: bool },
} as const satisfies Record<string, Field>;
