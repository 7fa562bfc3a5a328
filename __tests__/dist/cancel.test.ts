/**
 * The main step (`node dist/index.js`) canceled as the runner cancels a job (SIGINT, SIGTERM 7.5 s later, SIGKILL
 * 2.5 s after that) while a mutating call is in flight (the simulator holds it 2 s), then `node dist/post.js` with
 * the state the main step saved. What is left and what was said are checked against the simulator.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { DescribeServicesCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { parseFileCommand } from "../action/harness.js";
import { exampleStep, runScript, runtimes, type SimServer, type Step, startSimServer } from "./harness.js";

const SCALE = 20;
/** Two seconds of wall time in the simulator's time. */
const IN_FLIGHT_MS = 2_000 * SCALE;
const RUN_ID = "4242";

let sim: SimServer | undefined;

afterEach(() => {
  sim?.stop();
  sim = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ms: number, probe: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function answered(url: string, operation: string): Promise<number> {
  const calls = (await (await fetch(`${url}/_sim/calls`)).json()) as { operation: string; status: number }[];
  return calls.filter((c) => c.operation === operation && c.status === 200).length;
}

/** SIGINT now, then what the runner sends if the step is still running. */
function cancelAsRunner(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGINT");
  const term = setTimeout(() => child.kill("SIGTERM"), 7_500);
  const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
  return exited.finally(() => {
    clearTimeout(term);
    clearTimeout(kill);
  });
}

function ecs(url: string): ECSClient {
  return new ECSClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

/** Tasks this run started that ECS is still asked to run. */
async function wantedTasksOfRun(url: string): Promise<string[]> {
  const out = await ecs(url).send(
    new ListTasksCommand({ cluster: "production", startedBy: `cage-action/${RUN_ID}`, desiredStatus: "RUNNING" }),
  );
  return out.taskArns ?? [];
}

/** GITHUB_STATE holds `name<<delimiter`, the value, then the delimiter; the runner hands it to post as STATE_name. */
function stateEnv(step: Step): Record<string, string> {
  const saved = parseFileCommand(readFileSync(step.files.state, "utf8"));
  return Object.fromEntries(Object.entries(saved).map(([name, value]) => [`STATE_${name}`, value]));
}

async function startRollout(node: string, operation: string) {
  sim = await startSimServer("--time-scale", String(SCALE));
  const faults = [{ service: "ecs", operation, effect: "latency", latencyMs: IN_FLIGHT_MS, count: 1 }];
  await fetch(`${sim.url}/_sim/faults`, { method: "POST", body: JSON.stringify(faults) });
  const step = exampleStep(sim.url, { command: "rollout" }, { GITHUB_RUN_ID: RUN_ID });
  const main = spawn(node, ["dist/index.js"], { env: step.env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  main.stdout?.on("data", (c: Buffer) => {
    log += c.toString();
  });
  main.stderr?.on("data", (c: Buffer) => {
    log += c.toString();
  });
  return { url: sim.url, step, main, log: () => log };
}

describe.each(runtimes)("dist/index.js canceled while a call is in flight, then dist/post.js, on %s", (_name, node) => {
  it("RunTask in flight: the canary it started is found and stopped, none of the run's tasks is left", async () => {
    const { url, step, main, log } = await startRollout(node, "RunTask");
    // The canary-start phase has begun (the state says a launch goes out) and RunTask has not answered.
    await until("canary-start", 60_000, () => readFileSync(step.files.state, "utf8").includes('"launched":true'));
    await sleep(500);
    expect(await answered(url, "RunTask")).toBe(0);
    const code = await cancelAsRunner(main);
    expect(await answered(url, "RunTask")).toBe(1);
    expect(code, log()).toBe(1);
    const outputs = parseFileCommand(readFileSync(step.files.output, "utf8"));
    expect(outputs.result).toBe("canceled");
    expect(outputs["canary-task-arn"]).toMatch(/^arn:aws:ecs:/);
    expect(readFileSync(step.files.summary, "utf8")).toContain("The service was not changed.");

    const post = await runScript(node, "dist/post.js", step, stateEnv(step));
    expect(post.code, post.log).toBe(0);
    expect(await wantedTasksOfRun(url)).toEqual([]);
  }, 120_000);

  it("UpdateService in flight: the result, outputs and summary say the service changed, as it did", async () => {
    const { url, step, main, log } = await startRollout(node, "UpdateService");
    await until("service-update", 120_000, () => log().includes("::group::service-update"));
    await sleep(500);
    expect(await answered(url, "UpdateService")).toBe(0);
    const code = await cancelAsRunner(main);
    expect(await answered(url, "UpdateService")).toBe(1);
    expect(code, log()).toBe(1);

    const service = (await ecs(url).send(new DescribeServicesCommand({ cluster: "production", services: ["web"] })))
      .services?.[0];
    const created = service?.deployments?.find((d) => d.status === "PRIMARY");
    expect(service?.taskDefinition).toMatch(/task-definition\/web:2$/);
    const outputs = parseFileCommand(readFileSync(step.files.output, "utf8"));
    expect(outputs).toMatchObject({ result: "canceled", "deployment-id": created?.id });
    const summary = readFileSync(step.files.summary, "utf8");
    expect(summary).toContain(`The service was changed: ECS goes on with deployment ${created?.id}.`);
    expect(summary).not.toContain("was not changed");

    const post = await runScript(node, "dist/post.js", step, stateEnv(step));
    expect(post.code, post.log).toBe(0);
    expect(await wantedTasksOfRun(url)).toEqual([]);
  }, 180_000);
});
