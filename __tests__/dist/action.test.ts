/**
 * The action's external contract, run as GitHub runs it: `node dist/index.js` with INPUT_* variables and the
 * GITHUB_* files, against `cage sim serve` on loopback; under Node 20 and, when CAGE_NODE24 names a binary, Node 24.
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

let server: ChildProcess;
let url = "";

beforeAll(async () => {
  server = spawn(
    process.execPath,
    ["dist/cli.js", "sim", "serve", "--world", "deploy-example/world.json", "--port", "0", "--time-scale", "200"],
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

afterAll(() => {
  server?.kill("SIGTERM");
});

function runAction(node: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "cage-gha-"));
  const files = { output: join(dir, "output"), summary: join(dir, "summary.md"), state: join(dir, "state") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_WORKSPACE: process.cwd(),
    RUNNER_TEMP: dir,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL: url,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise<{ code: number | null; stdout: string; outputs: string; summary: string }>((resolve) => {
    const child = spawn(node, ["dist/index.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.on("exit", (code) =>
      resolve({
        code,
        stdout,
        outputs: readFileSync(files.output, "utf8"),
        summary: readFileSync(files.summary, "utf8"),
      }),
    );
  });
}

describe.each(runtimes)("dist/index.js on %s", (_name, node) => {
  it("rolls the example out and publishes outputs and the job summary", async () => {
    const r = await runAction(
      node as string,
      {
        command: "rollout",
        region: "us-east-1",
        "deploy-context": "deploy-example",
        "canary-task-idle-duration": "0s",
      },
      { IMAGE_TAG: "v2" },
    );
    expect(r.stdout).not.toMatch(/Cannot find module|webpackMissingModule/);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatch(/^result<<.*\nsucceeded\n/m);
    expect(r.outputs).toMatch(/task-definition-arn<<.*\narn:aws:ecs:us-east-1:123456789012:task-definition\/web:\d+\n/);
    expect(r.summary).toContain("> [!TIP]");
    expect(r.stdout).toContain("::group::");
  }, 120_000);

  it("fails cleanly, naming the input, before any AWS call", async () => {
    const r = await runAction(node as string, {
      command: "rollout",
      "canary-task-idle-duration": "ten",
      "deploy-context": "deploy-example",
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/::error::.*'canary-task-idle-duration' must be a duration/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
  }, 60_000);
});
