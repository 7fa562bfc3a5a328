/**
 * Benchmark code that must run in processes of its own (a simulator server, one audit): TypeScript entries
 * bundled to ESM under .tmp/bench/bin with rolldown (which vitest's vite brings), since Node 20 runs no TypeScript.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "rolldown";
import { OUT_DIR } from "./results.js";

const root = new URL("../", import.meta.url).pathname;

/** Bundles `entry` (relative to the repository) with its packages left as imports; returns the bundle's path. */
export async function bundle(entry: string): Promise<string> {
  const file = `${OUT_DIR}bin/${entry.replace(/[/.]/g, "_")}.mjs`;
  await build({
    input: resolve(root, entry),
    platform: "node",
    external: [/^[^./]/],
    logLevel: "silent",
    // The CLI imports each command when it runs; one file per child keeps them apart.
    output: { file, format: "esm", codeSplitting: false },
  });
  return file;
}

/** Runs `node ...flags file ...args` and parses the last line it prints as JSON. */
export function runJson<T>(file: string, args: string[], flags: string[] = []): Promise<T> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...flags, file, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code === 0 && last.startsWith("{")) done(JSON.parse(last) as T);
      else fail(new Error(`${file} exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

export interface ServerProcess {
  url: string;
  /** A control request (`/_sim/...`), its JSON answer. */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** The CPU time (user + system, ms) the server has used so far; undefined where /proc does not say. */
  cpu(): number | undefined;
  stop(): Promise<void>;
}

/** `cage sim serve --world FILE --port 0` from the bundled CLI, in a process of its own. */
export async function startServer(cli: string, worldFile: string): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [cli, "sim", "serve", "--world", worldFile, "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((done, fail) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (m?.[1]) done(m[1]);
    });
    child.on("exit", (code) => fail(new Error(`cage sim serve exited with ${code}`)));
  });
  return {
    url,
    async control(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      return res.json();
    },
    cpu: () => (child.pid === undefined ? undefined : cpuOf(child.pid)),
    stop: () =>
      new Promise((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/** Linux's /proc/PID/stat: utime and stime (fields 14 and 15, in ticks of 10 ms) after the command's name. */
function cpuOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
