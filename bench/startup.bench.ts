/**
 * Issue 7 item 3: start-up of the committed bundles, from process start to their first AWS request, and their
 * peak memory, against `node -e 0` in the same run; the size of each bundle.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
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
function start(args: string[], env: Record<string, string>, rec: Awaited<ReturnType<typeof recorder>>): Promise<Start> {
  rec.reset();
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "maxrss=%M", process.execPath, ...args], {
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

async function medianStart(
  args: string[],
  env: Record<string, string>,
  rec: Awaited<ReturnType<typeof recorder>>,
  n: number,
) {
  const all: Start[] = [];
  await start(args, env, rec);
  for (let i = 0; i < n; i += 1) all.push(await start(args, env, rec));
  return {
    ms: median(all.map((s) => s.ms)),
    requested: all.every((s) => s.requested),
    maxRssMb: median(all.map((s) => s.maxRssMb)),
  };
}

const mb = (bytes: number) =>
  bytes < 2 ** 20 / 10 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 2 ** 20).toFixed(2)} MB`;

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
  const bare = await medianStart(["-e", "0"], {}, rec, n);
  const action = await medianStart(
    [`${DIST}index.js`],
    {
      ...aws,
      INPUT_COMMAND: "audit",
      INPUT_REGION: "us-east-1",
      INPUT_CLUSTER: "production",
      INPUT_SERVICE: "web",
      GITHUB_STEP_SUMMARY: `${tmpdir()}/cage-bench-summary.md`,
    },
    rec,
    n,
  );
  const cli = await medianStart(
    [`${DIST}cli.js`, "rollout", "--region", "us-east-1", DEPLOY_CONTEXT],
    { ...aws, IMAGE_TAG: "v2" },
    rec,
    n,
  );
  await rec.close();

  const row = (what: string, s: typeof bare) => [
    what,
    s.requested ? `${s.ms.toFixed(0)} ms to the first request` : `${s.ms.toFixed(0)} ms to exit, **no AWS request**`,
    `${bare.ms.toFixed(0)} ms`,
    ratio(s.ms / bare.ms),
    s.requested ? verdict(s.ms / bare.ms <= 2) : "not measurable",
    `${s.maxRssMb.toFixed(0)} MB`,
    `${bare.maxRssMb.toFixed(0)} MB`,
  ];
  const bundles = existsSync(DIST) ? readdirSync(DIST).filter((f) => f.endsWith(".js")) : [];
  writeResult("startup", {
    order: 3,
    section: "Start-up",
    tables: [
      {
        title: "From process start to the first AWS request",
        about: `The committed bundles in dist/ (built by the integrator), each run ${n} times after one warm-up, with AWS_ENDPOINT_URL_* pointing at a loopback server that records the first request and answers AccessDenied. The action gets INPUT_COMMAND=audit. Baseline: \`node -e 0\` to exit. Peak memory: /usr/bin/time's maximum RSS. Target: ≤ 2 × bare Node.`,
        columns: ["program", "time", "node -e 0", "ratio", "≤ 2×", "peak RSS", "node -e 0 peak RSS"],
        rows: [row("node dist/index.js (the action)", action), row("node dist/cli.js rollout deploy-example", cli)],
      },
      {
        title: "Bundle sizes",
        about: "Target: the action's main bundle (dist/index.js) at most 3 MB.",
        columns: ["bundle", "size", "target", "pass"],
        rows: bundles.map((f) => {
          const size = statSync(`${DIST}${f}`).size;
          return f === "index.js" ? [f, mb(size), "≤ 3 MB", verdict(size <= 3 * 2 ** 20)] : [f, mb(size), "", ""];
        }),
      },
    ],
  });
});
