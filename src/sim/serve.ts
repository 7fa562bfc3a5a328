/**
 * `cage sim serve --world FILE [--host 127.0.0.1] [--port N] [--time-scale K] [--seed S]`: the simulator as an
 * HTTP server for the AWS CLI, boto3, demos and rehearsals. The first stdout line is `listening on http://HOST:PORT`.
 */
import { readFile } from "node:fs/promises";
import { inertLines } from "../shared/inert.js";
import { ScaledClock } from "./clock.js";
import type { WorldLoader } from "./control.js";
import { createSimulator, type Simulator } from "./simulator.js";
import { type SimServer, startHttpServer } from "./transport/http.js";
import { World } from "./world/index.js";

/** The world module's loader: validates the file (and variant) and builds the world on the given clock. */
export const loadWorldJson: WorldLoader = (json, source, clock, variant) =>
  World.fromJson(json, source, { clock, ...(variant !== undefined ? { variant } : {}) });

export interface ServeOptions {
  /** A world file, or `FILE#variant` for one of its named variants. */
  worldFile: string;
  host?: string;
  port?: number;
  /** Simulated seconds per wall second (default 1). */
  timeScale?: number;
  seed?: number;
  /** Default: the world module's `World.fromJson`. */
  loadWorld?: WorldLoader;
  /** Where the `listening on` line goes (default stdout). */
  log?: (line: string) => void;
}

export interface RunningSimulator extends SimServer {
  sim: Simulator;
}

export async function readWorldFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read world file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`world file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function serve(options: ServeOptions): Promise<RunningSimulator> {
  const hash = options.worldFile.lastIndexOf("#");
  const file = hash > 0 ? options.worldFile.slice(0, hash) : options.worldFile;
  const variant = hash > 0 ? options.worldFile.slice(hash + 1) : undefined;
  const json = await readWorldFile(file);
  const loadWorld = options.loadWorld ?? loadWorldJson;
  const clock = new ScaledClock({ scale: options.timeScale ?? 1 });
  const sim = createSimulator({
    world: (c) => loadWorld(json, file, c, variant),
    clock,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const server = await startHttpServer(sim, {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    loadWorld,
  });
  (options.log ?? ((line) => process.stdout.write(`${line}\n`)))(`listening on ${server.url}`);
  return { ...server, sim };
}

const usage =
  "usage: cage sim serve --world FILE[#VARIANT] [--host 127.0.0.1] [--port N] [--time-scale K] [--seed S]\n" +
  "  --port 0 picks a free port; --time-scale 60 runs simulated time 60 times faster than the wall clock";

function numberFlag(name: string, text: string | undefined, check: (n: number) => boolean, form: string): number {
  const n = Number(text);
  if (text === undefined || text.trim() === "" || !check(n)) {
    throw new Error(`--${name} must be ${form}, got '${text ?? ""}'`);
  }
  return n;
}

export function parseServeArgs(argv: string[]): Omit<ServeOptions, "loadWorld" | "log"> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    if (!["--world", "--host", "--port", "--time-scale", "--seed"].includes(flag)) {
      throw new Error(`unknown argument '${arg}'`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    values.set(flag.slice(2), value);
  }
  const worldFile = values.get("world");
  if (!worldFile) throw new Error("--world FILE is required");
  const options: Omit<ServeOptions, "loadWorld" | "log"> = { worldFile, host: values.get("host") ?? "127.0.0.1" };
  if (values.has("port")) {
    options.port = numberFlag(
      "port",
      values.get("port"),
      (n) => Number.isInteger(n) && n >= 0 && n < 65536,
      "a port 0-65535",
    );
  }
  if (values.has("time-scale")) {
    options.timeScale = numberFlag("time-scale", values.get("time-scale"), (n) => n > 0, "a number > 0 like 60");
  }
  if (values.has("seed")) options.seed = numberFlag("seed", values.get("seed"), Number.isInteger, "a whole number");
  return options;
}

/** The CLI entry: serves until SIGINT or SIGTERM; resolves with the process exit code. */
export async function runSimServe(argv: string[], loadWorld: WorldLoader = loadWorldJson): Promise<number> {
  let running: RunningSimulator;
  try {
    running = await serve({ ...parseServeArgs(argv), loadWorld });
  } catch (e) {
    // A world file's errors quote its values.
    process.stderr.write(`${inertLines(`cage sim serve: ${e instanceof Error ? e.message : String(e)}`)}\n${usage}\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await running.close();
  return 0;
}
