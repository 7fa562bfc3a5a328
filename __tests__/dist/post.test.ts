/**
 * The post step as GitHub runs it: the main step (`node dist/index.js`) is killed with SIGKILL once its canary is
 * registered; `node dist/post.js`, given the saved state as STATE_* variables, removes what it left behind.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleStep, runScript, runtimes, type SimServer, startSimServer } from "./harness.js";

let sim: SimServer;

beforeAll(async () => {
  sim = await startSimServer("--time-scale", "20");
});

afterAll(() => {
  sim?.stop();
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

async function simState(): Promise<{ tasks: { taskArn?: string; lastStatus?: string }[] }> {
  return (await fetch(`${sim.url}/_sim/state`)).json() as Promise<{
    tasks: { taskArn?: string; lastStatus?: string }[];
  }>;
}

/** RegisterTargets calls the simulator has answered: the registration is real, not only recorded. */
async function registrations(): Promise<number> {
  const calls = (await (await fetch(`${sim.url}/_sim/calls`)).json()) as { operation: string; status: number }[];
  return calls.filter((c) => c.operation === "RegisterTargets" && c.status === 200).length;
}

describe.each(runtimes)("dist/post.js on %s", (_name, node) => {
  it("stops and deregisters the canary of a main step killed mid-rollout", async () => {
    const step = exampleStep(sim.url, { command: "rollout" });
    const before = await registrations();
    const main = spawn(node, ["dist/index.js"], { env: step.env, stdio: "ignore" });
    const deadline = Date.now() + 60_000;
    while (
      !(readFileSync(step.files.state, "utf8").includes("targetGroupArn") && (await registrations()) > before) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    main.kill("SIGKILL");
    await new Promise((r) => main.on("exit", r));
    const saved = stateEnv(step.files.state);
    const recorded = JSON.parse(saved.STATE_cleanup ?? "{}").recorded as { kind: string; id: string }[];
    const canary = recorded.find((r) => r.kind === "canary-task")?.id as string;
    expect(canary).toMatch(/^arn:aws:ecs:/);
    expect((await simState()).tasks.find((t) => t.taskArn === canary)?.lastStatus).toBe("RUNNING");

    const post = await runScript(node, "dist/post.js", step, saved);
    expect(post.code).toBe(0);
    expect(post.log).toContain(`Cleaned up 1 canary task(s) of service 'web': ${canary}`);
    expect(post.log).toMatch(/arn:aws:elasticloadbalancing:\S+ \(10\.0\.\d+\.\d+:8080\)/);
    const after = (await simState()).tasks.find((t) => t.taskArn === canary);
    expect(["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"]).toContain(after?.lastStatus);
  }, 120_000);
});
