/**
 * The narrow GitHub REST port the action uses (comments, issues, deployments), its Octokit adapter, and the
 * workflow event read from the runner's files (not @actions/github's context, which is frozen at import).
 */
import { readFileSync } from "node:fs";
import type { getOctokit } from "@actions/github";

type Env = Record<string, string | undefined>;

export interface Comment {
  id: number;
  body: string;
  userType?: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
}

export interface GitHubPort {
  listIssueComments(issue: number): Promise<Comment[]>;
  createIssueComment(issue: number, body: string): Promise<number>;
  updateIssueComment(id: number, body: string): Promise<void>;
  listOpenIssues(label: string): Promise<Issue[]>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<number>;
  updateIssue(
    number: number,
    change: { body?: string; state?: "open" | "closed"; stateReason?: "completed" },
  ): Promise<void>;
  createDeployment(deployment: { ref: string; environment: string; description: string }): Promise<number>;
  createDeploymentStatus(
    id: number,
    status: {
      state: "in_progress" | "success" | "failure" | "error";
      logUrl?: string;
      description: string;
      environment: string;
    },
  ): Promise<void>;
}

export interface WorkflowEvent {
  name: string;
  owner: string;
  repo: string;
  sha: string;
  /** The pull request number on pull_request events. */
  pullRequest?: number;
  /** True when the pull request comes from a fork: its token cannot write. */
  fromFork: boolean;
}

export function readEvent(env: Env): WorkflowEvent | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo) return undefined;
  let payload: {
    pull_request?: { number?: number; head?: { repo?: { full_name?: string } } };
    repository?: { full_name?: string };
  } = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
    } catch {
      payload = {};
    }
  }
  const pr = payload.pull_request;
  const head = pr?.head?.repo?.full_name;
  return {
    name: env.GITHUB_EVENT_NAME ?? "",
    owner,
    repo,
    sha: env.GITHUB_SHA ?? "",
    pullRequest: typeof pr?.number === "number" ? pr.number : undefined,
    fromFork: Boolean(pr && head && head !== `${owner}/${repo}`),
  };
}

type Octokit = ReturnType<typeof getOctokit>;

/** Octokit is imported on the first request: most steps never write to GitHub, and it is large to load. */
export function createGitHubPort(token: string, event: WorkflowEvent, env: Env): GitHubPort {
  let client: Promise<Octokit> | undefined;
  const connect = () =>
    (client ??= import("@actions/github").then((github) =>
      github.getOctokit(token, { baseUrl: env.GITHUB_API_URL || "https://api.github.com" }),
    ));
  const repo = { owner: event.owner, repo: event.repo };
  return {
    async listIssueComments(issue) {
      const octokit = await connect();
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: issue,
        per_page: 100,
      });
      return comments.map((c) => ({ id: c.id, body: c.body ?? "", userType: c.user?.type }));
    },
    async createIssueComment(issue, body) {
      const octokit = await connect();
      return (await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body })).data.id;
    },
    async updateIssueComment(id, body) {
      const octokit = await connect();
      await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body });
    },
    async listOpenIssues(label) {
      const octokit = await connect();
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...repo,
        labels: label,
        state: "open",
        per_page: 100,
      });
      return issues
        .filter((i) => !i.pull_request)
        .map((i) => ({ number: i.number, title: i.title, body: i.body ?? "" }));
    },
    async createIssue(issue) {
      const octokit = await connect();
      return (await octokit.rest.issues.create({ ...repo, ...issue })).data.number;
    },
    async updateIssue(number, change) {
      const octokit = await connect();
      await octokit.rest.issues.update({
        ...repo,
        issue_number: number,
        ...(change.body === undefined ? {} : { body: change.body }),
        ...(change.state ? { state: change.state } : {}),
        ...(change.stateReason ? { state_reason: change.stateReason } : {}),
      });
    },
    async createDeployment(deployment) {
      const octokit = await connect();
      const response = await octokit.rest.repos.createDeployment({
        ...repo,
        ...deployment,
        required_contexts: [],
        auto_merge: false,
      });
      if (!("id" in response.data))
        throw new Error(`GitHub did not create the deployment: ${response.data.message ?? "no reason given"}`);
      return response.data.id;
    },
    async createDeploymentStatus(id, status) {
      const octokit = await connect();
      await octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: id,
        state: status.state,
        description: status.description.slice(0, 140),
        environment: status.environment,
        ...(status.logUrl ? { log_url: status.logUrl } : {}),
        ...(status.state === "success" ? { auto_inactive: true } : {}),
      });
    },
  };
}
