/**
 * The post step as GitHub runs it: the main step (`node dist/index.js`) is killed with SIGKILL once its canary is
 * registered; `node dist/post.js`, given the saved state as STATE_* variables, removes what it left behind.
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
    ["dist/cli.js", "sim", "serve", "--world", "deploy-example/world.json", "--port", "0", "--time-scale", "20"],
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

/** GITHUB_STATE holds `name<<delimiter`, the value, then the delimiter; the runner hands it to post as STATE_name. */
function stateEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!m) continue;
    const end = lines.indexOf(m[2] as string, i + 1);
    env[`STATE_${m[1]}`] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return env;
}

async function simState(): Promise<{ tasks: { group?: string; lastStatus?: string; taskArn?: string }[] }> {
  return (await fetch(`${url}/_sim/state`)).json() as Promise<{ tasks: { group?: string; lastStatus?: string }[] }>;
}

/** RegisterTargets calls the simulator has answered: the registration is real, not only recorded. */
async function registrations(): Promise<number> {
  const calls = (await (await fetch(`${url}/_sim/calls`)).json()) as { operation: string; status: number }[];
  return calls.filter((c) => c.operation === "RegisterTargets" && c.status === 200).length;
}

describe.each(runtimes)("dist/post.js on %s", (_name, node) => {
  it("stops and deregisters the canary of a main step killed mid-rollout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cage-post-"));
    const files = { output: join(dir, "output"), summary: join(dir, "summary.md"), state: join(dir, "state") };
    for (const f of Object.values(files)) writeFileSync(f, "");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      GITHUB_WORKSPACE: process.cwd(),
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL: url,
      IMAGE_TAG: "v2",
      INPUT_COMMAND: "rollout",
      INPUT_REGION: "us-east-1",
      "INPUT_DEPLOY-CONTEXT": "deploy-example",
    };
    const before = await registrations();
    const main = spawn(node as string, ["dist/index.js"], { env, stdio: "ignore" });
    const deadline = Date.now() + 60_000;
    while (
      !(readFileSync(files.state, "utf8").includes("targetGroupArn") && (await registrations()) > before) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    main.kill("SIGKILL");
    await new Promise((r) => main.on("exit", r));
    const saved = stateEnv(files.state);
    expect(saved.STATE_cleanup).toMatch(/"tasks":\["arn:aws:ecs:/);
    const canary = JSON.parse(saved.STATE_cleanup ?? "{}").tasks[0] as string;
    expect((await simState()).tasks.find((t) => t.taskArn === canary)?.lastStatus).toBe("RUNNING");

    const post = spawn(node as string, ["dist/post.js"], {
      env: { ...env, ...saved },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    post.stdout?.on("data", (c: Buffer) => {
      log += c.toString();
    });
    const code = await new Promise((r) => post.on("exit", r));
    expect(code).toBe(0);
    expect(log).toContain(`Stopped canary task ${canary}`);
    expect(log).toMatch(/Deregistered 10\.0\.\d+\.\d+:8080 from arn:aws:elasticloadbalancing/);
    const after = (await simState()).tasks.find((t) => t.taskArn === canary);
    expect(["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"]).toContain(after?.lastStatus);
  }, 120_000);
});
