/** Independent clients (AWS CLI, boto3, moto_server) driven from tests; each test skips when its tool is absent. */
import { execFile, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const hasCommand = (cmd: string, args: string[] = ["--version"]): boolean =>
  spawnSync(cmd, args, { stdio: "ignore" }).status === 0;

export const hasAwsCli = hasCommand("aws");
export const hasBoto3 = hasCommand("python3", ["-c", "import boto3"]);
export const hasMoto = hasCommand("moto_server", ["--help"]);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json?: any;
}

export function awsCli(
  endpoint: string,
  args: string[],
  env: Record<string, string> = {},
  region = "us-east-1",
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      "aws",
      ["--endpoint-url", endpoint, "--region", region, "--output", "json", ...args],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_PAGER: "",
          AWS_MAX_ATTEMPTS: "1",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

export interface BotoCall {
  service: string;
  op: string;
  params?: Record<string, unknown>;
  /** Default us-east-1. */
  region?: string;
  /** false: send what botocore's parameter validation would refuse (wrong types), as a raw client could. */
  validate?: boolean;
}

export type BotoOutcome = { result: any } | { error: { code: string; message: string; status: number } };

const scripts = {
  calls: fileURLToPath(new URL("./boto_calls.py", import.meta.url)),
  samples: fileURLToPath(new URL("./boto_sample_calls.py", import.meta.url)),
};

export function boto(endpoint: string, calls: BotoCall[]): Promise<BotoOutcome[]> {
  return runPython(scripts.calls, endpoint, calls);
}

/** Calls each operation (API name) with an input boto3 fills from botocore's own model. */
export function botoSamples(endpoint: string, calls: { service: string; op: string }[]): Promise<BotoOutcome[]> {
  return runPython(scripts.samples, endpoint, calls);
}

function runPython(script: string, endpoint: string, calls: unknown): Promise<BotoOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", [script, endpoint], {
      env: { ...process.env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`boto3 failed: ${err}`))));
    child.stdin.end(JSON.stringify(calls));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts moto_server on a free loopback port; the returned function stops it. */
export async function startMoto(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 250; i++) {
    try {
      await fetch(`${url}/moto-api/`);
      return { url, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error("moto_server did not start within 25 s");
}

/** The key paths and value types of a parsed response, for comparing shapes across implementations. */
export function shapeOf(value: unknown, path = ""): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) {
      out.set(p, "list");
      for (const item of v) walk(item, `${p}[]`);
    } else if (v !== null && typeof v === "object" && !("$type" in v)) {
      out.set(p, "object");
      for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
    } else {
      out.set(p, v !== null && typeof v === "object" ? String((v as { $type: string }).$type) : typeof v);
    }
  };
  walk(value, path);
  return out;
}
