/**
 * Issue 7 item 3: start-up of the bundles in dist/, from process start to their first AWS request, and their peak
 * memory, against `node -e 0` on the same runtime in the same run (Node 24 too when CAGE_NODE24 is set); the size
 * of each bundle, its main file and its chunks.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import { median, ratio, runs, verdict, writeResult } from "./results.js";

const DIST = new URL("../dist/", import.meta.url).pathname;
const DEPLOY_CONTEXT = new URL("../deploy-example/", import.meta.url).pathname;

interface Start {
  /** ms from spawn to the first request, or to exit when none came. */
  ms: number;
  requested: boolean;
  maxRssMb: number;
}

/** Records when the first request arrives and answers every one with AccessDenied, so the program ends soon. */
async function recorder() {
  let first: number | undefined;
  const server = createServer((req, res) => {
    first ??= performance.now();
    req.resume();
    res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
    res.end('{"__type":"AccessDeniedException","message":"benchmark endpoint"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    first: () => first,
    reset: () => {
      first = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `node args` under /usr/bin/time (peak RSS) and times it to the recorder's first request or to its exit. */
function start(
  node: string,
  args: string[],
  env: Record<string, string>,
  rec: Awaited<ReturnType<typeof recorder>>,
): Promise<Start> {
  rec.reset();
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "maxrss=%M", node, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    child.on("error", reject);
    child.on("close", () => {
      const first = rec.first();
      const rss = /maxrss=(\d+)/.exec(stderr);
      resolve({
        ms: (first ?? performance.now()) - t,
        requested: first !== undefined,
        maxRssMb: rss ? Number(rss[1]) / 1024 : Number.NaN,
      });
    });
  });
}

/**
 * Median of `n` starts after one warm-up. Cold: every start gets an empty compile cache (NODE_COMPILE_CACHE, which
 * dist/<entry>.js enables on Node >= 22), as the first step of a job does; warm: all share the one the warm-up filled,
 * as a later step in the same job does.
 */
async function medianStart(
  node: string,
  args: string[],
  env: Record<string, string>,
  rec: Awaited<ReturnType<typeof recorder>>,
  n: number,
  cache: "cold" | "warm" = "cold",
) {
  const root = mkdtempSync(join(tmpdir(), "cage-bench-cache-"));
  const warm = join(root, "warm");
  let fresh = 0;
  const cacheEnv = () => ({ ...env, NODE_COMPILE_CACHE: cache === "warm" ? warm : join(root, String(fresh++)) });
  const all: Start[] = [];
  try {
    await start(node, args, cacheEnv(), rec);
    for (let i = 0; i < n; i += 1) all.push(await start(node, args, cacheEnv(), rec));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return {
    ms: median(all.map((s) => s.ms)),
    requested: all.every((s) => s.requested),
    maxRssMb: median(all.map((s) => s.maxRssMb)),
  };
}

const mb = (bytes: number) =>
  bytes < 2 ** 20 / 10 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 2 ** 20).toFixed(2)} MB`;

/** GitHub runs the action on Node 24: measured too when CAGE_NODE24 names its binary (.ci/run installs one). */
function runtimes(): [string, string][] {
  const node24 = process.env.CAGE_NODE24;
  const current: [string, string] = [`Node ${process.versions.node}`, process.execPath];
  return node24 && existsSync(node24) ? [current, ["Node 24 ($CAGE_NODE24)", node24]] : [current];
}

const compileCacheIn = (node: string): boolean =>
  spawnSync(node, ["-p", "typeof require('node:module').enableCompileCache"], { encoding: "utf8" }).stdout.trim() ===
  "function";

/** An entry's bundle: dist/<entry>.js imports dist/<entry>/index.js, which loads its chunks when it needs them. */
function bundleOf(entry: string) {
  const folder = `${DIST}${entry}/`;
  const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
  const chunks = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".js") && f !== "index.js") : [];
  const main = size(`${DIST}${entry}.js`) + size(`${folder}index.js`);
  const rest = chunks.reduce((sum, f) => sum + size(`${folder}${f}`), 0);
  return { main, chunks: chunks.length, total: main + rest };
}

it("start-up to the first AWS request, peak memory, bundle sizes", async () => {
  const n = runs(7);
  const rec = await recorder();
  const aws = {
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: rec.url,
    AWS_ENDPOINT_URL_ECS: rec.url,
    AWS_ENDPOINT_URL_ECR: rec.url,
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: rec.url,
    AWS_ENDPOINT_URL_EC2: rec.url,
  };
  const step = { ...aws, INPUT_REGION: "us-east-1", GITHUB_STEP_SUMMARY: `${tmpdir()}/cage-bench-summary.md` };
  const programs: [string, string[], Record<string, string>][] = [
    [
      "node dist/index.js (the action: audit)",
      [`${DIST}index.js`],
      { ...step, INPUT_COMMAND: "audit", INPUT_CLUSTER: "production", INPUT_SERVICE: "web" },
    ],
    [
      "node dist/index.js (the action: rollout deploy-example)",
      [`${DIST}index.js`],
      { ...step, INPUT_COMMAND: "rollout", "INPUT_DEPLOY-CONTEXT": DEPLOY_CONTEXT, IMAGE_TAG: "v2" },
    ],
    [
      "node dist/cli.js rollout deploy-example",
      [`${DIST}cli.js`, "rollout", "--region", "us-east-1", DEPLOY_CONTEXT],
      { ...aws, IMAGE_TAG: "v2" },
    ],
  ];
  const rows: string[][] = [];
  for (const [runtime, node] of runtimes()) {
    const bare = await medianStart(node, ["-e", "0"], {}, rec, n);
    const [action] = programs;
    const cases = [
      ...programs.map((p) => [...p, "cold"] as const),
      // The compile cache exists from Node 22 on: a later step of the same job (or the post step's own bundle, next).
      ...(compileCacheIn(node) && action ? [[...action, "warm"] as const] : []),
    ];
    for (const [what, args, env, cache] of cases) {
      const s = await medianStart(node, args, env, rec, n, cache);
      rows.push([
        what,
        `${runtime}, ${cache === "warm" ? "warm compile cache" : "cold"}`,
        s.requested
          ? `${s.ms.toFixed(0)} ms to the first request`
          : `${s.ms.toFixed(0)} ms to exit, **no AWS request**`,
        `${bare.ms.toFixed(0)} ms`,
        ratio(s.ms / bare.ms),
        s.requested ? verdict(s.ms / bare.ms <= 2) : "not measurable",
        `${s.maxRssMb.toFixed(0)} MB`,
        `${bare.maxRssMb.toFixed(0)} MB`,
      ]);
    }
  }
  await rec.close();

  const bundles = ["index", "post", "cli"].map((entry) => [entry, bundleOf(entry)] as const);
  writeResult("startup", {
    order: 3,
    section: "Start-up",
    tables: [
      {
        title: "From process start to the first AWS request",
        about: `The bundles in dist/, each run ${n} times after one warm-up, with AWS_ENDPOINT_URL_* pointing at a loopback server that records the first request and answers AccessDenied; "cold" runs start with an empty compile cache, as the first step of a job; "warm" ones share the cache an earlier run filled, as a later step of the same job (Node ≥ 22 only). Baseline: \`node -e 0\` to exit, on the same runtime. Peak memory: /usr/bin/time's maximum RSS. Target: ≤ 2 × bare Node.`,
        columns: ["program", "runtime", "time", "node -e 0", "ratio", "≤ 2×", "peak RSS", "node -e 0 peak RSS"],
        rows,
      },
      {
        title: "Bundle sizes",
        about:
          "dist/<entry>.js imports dist/<entry>/index.js (the main file, loaded at start); the chunks beside it are loaded when a command first needs them (each AWS client, the engines, octokit). Target: the action's main bundle (dist/index.js with dist/index/index.js) at most 3 MB.",
        columns: ["bundle", "main file", "chunks", "all files", "target", "pass"],
        rows: bundles.map(([entry, b]) => [
          `dist/${entry}.js`,
          mb(b.main),
          String(b.chunks),
          mb(b.total),
          entry === "index" ? "main file ≤ 3 MB" : "",
          entry === "index" ? verdict(b.main > 0 && b.main <= 3 * 2 ** 20) : "",
        ]),
      },
    ],
  });
});
