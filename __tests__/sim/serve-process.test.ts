/**
 * Issue 15 item 8 on a real process: `cage sim serve` refuses a request that would have pegged a CPU, keeps
 * answering, and exits promptly on SIGTERM. It needs a bundle of the current sources, so it runs only when
 * CAGE_CLI names one: `node scripts/build.mjs /tmp/cage-dist && CAGE_CLI=/tmp/cage-dist/cli.js npx vitest run
 * serve-process`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";

const CLI = process.env.CAGE_CLI;
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

function startServer() {
  const child = spawn(process.execPath, [CLI as string, "sim", "serve", "--world", "deploy-example/world.json"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 50);
    child.on("exit", () => reject(new Error(`cage sim serve exited early: ${out}`)));
  });
  return { child, url, exited };
}

const ecs = (url: string, action: string, body: string) =>
  fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AmazonEC2ContainerServiceV20141113.${action}`,
    },
    body,
  }).then(async (res) => ({ status: res.status, json: (await res.json()) as any }));

describe.skipIf(!CLI)("cage sim serve as a process", { timeout: 60_000 }, () => {
  it("refuses desiredCount 100000, answers DescribeClusters right after, and exits within a second of SIGTERM", async () => {
    const server = startServer();
    const url = await server.url;
    const big = await ecs(url, "UpdateService", '{"cluster":"production","service":"web","desiredCount":100000}');
    expect(big).toMatchObject({ status: 400, json: { __type: "InvalidParameterException" } });
    const clusters = await ecs(url, "DescribeClusters", '{"clusters":["production"]}');
    expect(clusters.json.clusters[0].clusterName).toBe("production");
    const year = await fetch(`${url}/_sim/advance`, { method: "POST", body: '{"seconds": 31536000}' });
    expect(year.status).toBe(200);
    const services = await ecs(url, "DescribeServices", '{"cluster":"production","services":["web"]}');
    expect(services.json.services[0].runningCount).toBe(2);
    const sent = Date.now();
    server.child.kill("SIGTERM");
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - sent).toBeLessThan(1000);
  });
});
