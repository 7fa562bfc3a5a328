/**
 * A pull-request audit check as GitHub runs it: `node dist/index.js` on a real pull_request payload, against
 * `cage sim serve` for AWS and a loopback stand-in for the GitHub REST API that checks every request against
 * GitHub's OpenAPI description.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runtimes = [
  ["node 20", process.execPath],
  ...(process.env.CAGE_NODE24 ? [["node 24", process.env.CAGE_NODE24]] : []),
];

import { FakeGitHub } from "../action/fake-github.js";

let server: ChildProcess;
let url = "";
const github = new FakeGitHub();

beforeAll(async () => {
  await github.start();
  server = spawn(
    process.execPath,
    ["dist/cli.js", "sim", "serve", "--world", "deploy-example/world.json", "--port", "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    server.stdout?.on("data", (chunk: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (m?.[1]) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`cage sim serve exited with ${code}`)));
  });
});

afterAll(async () => {
  server?.kill("SIGTERM");
  await github.stop();
});

function audit(node: string, inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "cage-pr-"));
  const files = { output: join(dir, "output"), summary: join(dir, "summary.md"), state: join(dir, "state") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_WORKSPACE: process.cwd(),
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: join(process.cwd(), "__tests__/fixtures/pull_request.json"),
    GITHUB_SHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "7",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL: url,
    IMAGE_TAG: "v2",
    INPUT_COMMAND: "audit",
    INPUT_REGION: "us-east-1",
    "INPUT_DEPLOY-CONTEXT": "deploy-example",
    "INPUT_AUDIT-SOURCE": "deploy-context",
    "INPUT_GITHUB-TOKEN": "ghs_test0123456789",
    "INPUT_PR-COMMENT": "auto",
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise<{ code: number | null; log: string; outputs: string }>((resolve) => {
    const child = spawn(node, ["dist/index.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (c: Buffer) => {
      log += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      log += c.toString();
    });
    child.on("exit", (code) => resolve({ code, log, outputs: readFileSync(files.output, "utf8") }));
  });
}

describe.each(runtimes)("dist/index.js on a pull_request, on %s", (_name, node) => {
  it("audits what the PR would deploy, keeps one sticky comment and gates on fail-on", async () => {
    const passing = await audit(node as string, { "fail-on": "critical" });
    expect(passing.code).toBe(0);
    expect(passing.outputs).toMatch(/^low-count<<.*\n1\n/m);
    const comments = [...github.comments.values()].flat();
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("CVE-2024-2511");

    const failing = await audit(node as string, { "fail-on": "low" });
    expect(failing.code).not.toBe(0);
    expect(failing.log).toMatch(/::error.*LOW/);
    expect([...github.comments.values()].flat()).toHaveLength(1);
    // The runner hides a masked value everywhere; the only place it may appear is the mask command itself.
    expect(failing.log.replace("::add-mask::ghs_test0123456789", "")).not.toContain("ghs_test0123456789");
    expect(github.violations).toEqual([]);
  }, 120_000);
});
