/**
 * What the action does on GitHub besides the summary: the PR comment, the audit issues, the Deployment statuses.
 * None of it can fail the step: a token that may not write gets a notice saying which permission is missing.
 */

import type { AuditReport } from "../audit/index.js";
import type { Result } from "../engine/events.js";
import { syncAuditIssues } from "./audit-issue.js";
import { createGitHubPort, type GitHubPort, readEvent, type WorkflowEvent } from "./github.js";
import type { ActionSettings } from "./inputs.js";
import * as stepLog from "./log.js";
import { type CommentOutcome, upsertAuditComment } from "./pr-comment.js";
import { errorMessage } from "./publish.js";

type Env = Record<string, string | undefined>;
export type GitHubFactory = (token: string, event: WorkflowEvent, env: Env) => GitHubPort;
export const defaultGitHub: GitHubFactory = createGitHubPort;

async function attempt<T>(what: string, permission: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) {
      stepLog.notice(
        `Could not write the ${what}: ${errorMessage(error)}. Give the job 'permissions: ${permission}: write'.`,
        {
          title: `${what} skipped`,
        },
      );
    } else {
      stepLog.warning(`Could not write the ${what}: ${errorMessage(error)}`);
    }
    return undefined;
  }
}

function connect(settings: ActionSettings, env: Env, factory: GitHubFactory, what: string) {
  const event = readEvent(env);
  if (!event) return undefined;
  if (!settings.github.token) {
    stepLog.notice(`No ${what}: 'github-token' is empty.`);
    return undefined;
  }
  return { event, github: factory(settings.github.token, event, env) };
}

export async function publishAudit(
  settings: ActionSettings,
  report: AuditReport,
  env: Env,
  factory: GitHubFactory,
  runUrl?: string,
): Promise<void> {
  await publishPrComment(settings, env, factory, "audit", (github, pr) =>
    upsertAuditComment(github, pr, report, settings.github.prComment, runUrl),
  );
  if (settings.github.auditIssue) {
    const link = connect(settings, env, factory, "audit issue");
    const outcomes =
      link && (await attempt("audit issue", "issues", () => syncAuditIssues(link.github, report, runUrl)));
    for (const o of outcomes ?? [])
      stepLog.info(`Audit issue for ${o.service}: ${o.action}${o.number ? ` #${o.number}` : ""}`);
  }
}

/** A GitHub Deployment around a rollout; `finish` records the result. */
export async function startDeployment(
  settings: ActionSettings,
  service: string,
  env: Env,
  factory: GitHubFactory,
  logUrl?: string,
): Promise<((result: Result, message: string) => Promise<void>) | undefined> {
  if (!settings.github.createDeployment) return undefined;
  const link = connect(settings, env, factory, "GitHub Deployment");
  if (!link) return undefined;
  const environment = settings.github.environment ?? service;
  const { github, event } = link;
  const id = await attempt("GitHub Deployment", "deployments", async () => {
    const id = await github.createDeployment({
      ref: event.sha,
      environment,
      description: `cage rollout of ${service}`,
    });
    await github.createDeploymentStatus(id, {
      state: "in_progress",
      environment,
      logUrl,
      description: "Canary rollout in progress",
    });
    return id;
  });
  if (id === undefined) return undefined;
  return async (result, message) => {
    const state = result === "succeeded" ? "success" : "failure";
    await attempt("GitHub Deployment", "deployments", () =>
      github.createDeploymentStatus(id, { state, environment, logUrl, description: message }),
    );
  };
}

/**
 * The step's sticky comment on its pull request, unless `pr-comment: never` or the event is no pull request. A fork's
 * pull_request token cannot write: the step says so in a notice and keeps the summary; it never fails on GitHub.
 */
export async function publishPrComment(
  settings: ActionSettings,
  env: Env,
  factory: GitHubFactory,
  what: "audit" | "plan",
  upsert: (github: GitHubPort, pullRequest: number) => Promise<CommentOutcome>,
): Promise<void> {
  const event = readEvent(env);
  const pr = event?.pullRequest;
  if (pr === undefined || !event?.name.startsWith("pull_request") || settings.github.prComment === "never") return;
  // pull_request_target runs with the base repository's token, which can write even for a fork.
  if (event.fromFork && event.name === "pull_request") {
    stepLog.notice(`The ${what} is in the job summary only: a pull request from a fork gets a read-only token.`, {
      title: "PR comment skipped",
    });
    return;
  }
  const link = connect(settings, env, factory, "PR comment");
  const outcome = link && (await attempt("PR comment", "pull-requests", () => upsert(link.github, pr)));
  if (outcome) stepLog.info(`PR comment: ${outcome}`);
}
