/** Running dist/ as GitHub does: `cage sim serve` on loopback, a step's GITHUB_* files, INPUT_* variables. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** This process's Node and, when CAGE_NODE24 names another binary, Node 24, which GitHub runs actions on. */
const node24 = process.env.CAGE_NODE24;
export const runtimes = [
  [`node ${process.versions.node.split(".")[0]}`, process.execPath],
  ...(node24 && node24 !== process.execPath && !process.version.startsWith("v24.") ? [["node 24", node24]] : []),
] as [string, string][];

export interface SimServer {
  url: string;
  stop(): void;
}

export async function startSimServer(...flags: string[]): Promise<SimServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["dist/cli.js", "sim", "serve", "--world", "deploy-example/world.json", "--port", "0", ...flags],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (m?.[1]) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`cage sim serve exited with ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

export interface Step {
  env: Record<string, string>;
  files: { output: string; summary: string; state: string };
}

/** A fresh step: empty GITHUB_* files, AWS pointed at the simulator, and the inputs as INPUT_* variables. */
export function newStep(simUrl: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Step {
  const dir = mkdtempSync(join(tmpdir(), "cage-step-"));
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
    AWS_ENDPOINT_URL: simUrl,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, files };
}

/** A step over the example's deploy context in us-east-1 with IMAGE_TAG=v2, as the demo world expects it. */
export function exampleStep(
  simUrl: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Step {
  return newStep(
    simUrl,
    { region: "us-east-1", "deploy-context": "deploy-example", ...inputs },
    { IMAGE_TAG: "v2", ...extraEnv },
  );
}

export interface StepRun {
  code: number | null;
  /** stdout and stderr together, as the runner's log shows them. */
  log: string;
  outputs: string;
  summary: string;
}

export function runScript(node: string, script: string, step: Step, extraEnv: Record<string, string> = {}) {
  return new Promise<StepRun>((resolve) => {
    const child = spawn(node, [script], { env: { ...step.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (c: Buffer) => {
      log += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      log += c.toString();
    });
    child.on("exit", (code) =>
      resolve({
        code,
        log,
        outputs: readFileSync(step.files.output, "utf8"),
        summary: readFileSync(step.files.summary, "utf8"),
      }),
    );
  });
}

/** The runner's variables for a pull_request event (the fixture payload), with GitHub's REST API at `apiUrl`. */
export function pullRequestEnv(apiUrl: string): Record<string, string> {
  return {
    GITHUB_API_URL: apiUrl,
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: join(process.cwd(), "__tests__/fixtures/pull_request.json"),
    GITHUB_SHA: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "7",
  };
}
