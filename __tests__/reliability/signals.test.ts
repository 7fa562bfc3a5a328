/**
 * Real signals to a real process: `cage rollout` against `cage sim serve`, canceled as the runner cancels a job
 * (SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that). DeregisterTargets and StopTask must reach AWS within
 * that window; then `cage cleanup` finds nothing left, or removes it.
 *
 * It needs a bundle of the current sources, which takes minutes to build, so it runs only when CAGE_CLI names
 * one: `node scripts/build.mjs /tmp/cage-dist && CAGE_CLI=/tmp/cage-dist/cli.js npx vitest run signals`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";

const CLI = process.env.CAGE_CLI;
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI as string, ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "?")),
  );
  return { child, output: () => out, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface Call {
  operation: string;
  status: number;
}

describe.skipIf(!CLI)("cage rollout canceled by the runner's signals (real processes)", () => {
  it.each(["canary-running", "target-health"])(
    "SIGINT during %s: DeregisterTargets and StopTask reach AWS before SIGKILL, and cleanup finds nothing left",
    async (phase) => {
      const sim = start(["sim", "serve", "--world", "deploy-example/world.json", "--time-scale", "20"]);
      const url = await until("the simulator", 20_000, () => /listening on (\S+)/.exec(sim.output())?.[1]);
      const calls = async () => ((await (await fetch(`${url}/_sim/calls`)).json()) as Call[]).map((c) => c.operation);
      const common = ["--region", "us-east-1", "--endpoint-url", url];
      const main = start(["rollout", ...common, "--run-id", "signals", "deploy-example"], { IMAGE_TAG: "v2" });
      await until(`phase ${phase}`, 60_000, () => (main.output().includes(phase) ? true : undefined));

      const sent = Date.now();
      main.child.kill("SIGINT");
      const term = setTimeout(() => main.child.kill("SIGTERM"), 7_500);
      const kill = setTimeout(() => main.child.kill("SIGKILL"), 10_000);
      const cleaned = await until("StopTask", 10_000, async () => {
        const ops = await calls();
        const started = ops.includes("RegisterTargets");
        return ops.includes("StopTask") && (!started || ops.includes("DeregisterTargets")) ? ops : undefined;
      });
      const within = Date.now() - sent;
      const exit = await main.exited;
      clearTimeout(term);
      clearTimeout(kill);
      expect(within).toBeLessThan(10_000);
      expect(cleaned.includes("UpdateService")).toBe(false);
      expect([130, "SIGTERM", "SIGKILL"]).toContain(exit);

      const post = start(["cleanup", ...common, "--service", "web", "--cluster", "production"]);
      expect(await post.exited, post.output()).toBe(0);
      expect(post.output()).toMatch(/Nothing to clean up|stopped/);
      if (process.env.CAGE_SIGNALS_LOG)
        console.log(phase, { within, exit, cleanup: post.output().trim().split("\n").pop() });
      const ports = await calls();
      expect(ports.filter((op) => op === "RunTask")).toHaveLength(1);
      sim.child.kill("SIGTERM");
      await sim.exited;
    },
    120_000,
  );
});
