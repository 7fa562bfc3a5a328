import { DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { ScaledClock } from "../../src/sim/clock.js";
import type { WorldLoader } from "../../src/sim/control.js";
import { createSimulator } from "../../src/sim/simulator.js";
import { type SimServer, startHttpServer } from "../../src/sim/transport/http.js";
import { testWorld } from "./fixtures.js";

let server: SimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const loadWorld: WorldLoader = (json) => {
  const spec = json as { tasks?: number };
  if (typeof spec?.tasks !== "number") throw new Error("POST /_sim/world: $.tasks must be a number");
  return testWorld({ snapshot: () => ({ tasks: spec.tasks }) });
};

async function start() {
  const sim = createSimulator({ world: testWorld(), clock: new ScaledClock({ start: Date.UTC(2026, 0, 1) }) });
  server = await startHttpServer(sim, { host: "127.0.0.1", port: 0, loadWorld });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server!.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const ecs = new ECSClient({
    region: "us-east-1",
    endpoint: server.url,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  return { sim, call, ecs };
}

describe("HTTP server and control API", () => {
  it("serves the SDK over a real socket on 127.0.0.1", async () => {
    const { ecs } = await start();
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const out = await ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: ["t"] }));
    expect(out.tasks?.[0]?.lastStatus).toBe("RUNNING");
    expect(out.$metadata.requestId).toBeDefined();
  });

  it("reports health, state with now, and advances the clock", async () => {
    const { call } = await start();
    expect((await call("GET", "/_sim/health")).status).toBe(200);
    const state = await call("GET", "/_sim/state");
    expect(state.json).toMatchObject({ tasks: 3 });
    const before = Date.parse(state.json.now);
    const advanced = await call("POST", "/_sim/advance", { seconds: 600 });
    expect(Date.parse(advanced.json.now) - before).toBeGreaterThanOrEqual(600_000);
    expect((await call("POST", "/_sim/advance", { seconds: "ten" })).status).toBe(400);
  });

  it("lists every call in the journal", async () => {
    const { call, ecs } = await start();
    await ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: ["t"] }));
    await ecs.send(new DescribeTasksCommand({ cluster: "missing", tasks: ["t"] })).catch(() => undefined);
    const calls = (await call("GET", "/_sim/calls")).json;
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      service: "ecs",
      operation: "DescribeTasks",
      params: { cluster: "c", tasks: ["t"] },
      status: 200,
    });
    expect(calls[1]).toMatchObject({ status: 400, errorCode: "ClusterNotFoundException" });
    expect(calls[0].time).toMatch(/^2026-01-01T/);
  });

  it("adds, applies and clears fault rules", async () => {
    const { call, ecs } = await start();
    const added = await call("POST", "/_sim/faults", [{ service: "ecs", effect: "throttle" }]);
    expect(added.json.faults).toHaveLength(1);
    const err = await ecs.send(new DescribeTasksCommand({ tasks: ["t"] })).catch((e) => e);
    expect(err.name).toBe("ThrottlingException");
    expect((await call("DELETE", "/_sim/faults")).json.faults).toEqual([]);
    await expect(ecs.send(new DescribeTasksCommand({ tasks: ["t"] }))).resolves.toBeDefined();
    const bad = await call("POST", "/_sim/faults", [{ effect: "nope" }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain("faults[0].effect");
  });

  it("cuts the connection for a dropped-connection fault", async () => {
    const { call, ecs } = await start();
    await call("POST", "/_sim/faults", [{ effect: "drop", count: 1 }]);
    const err = await ecs.send(new DescribeTasksCommand({ tasks: ["t"] })).catch((e) => e);
    expect(String(err.code ?? err.name)).toMatch(/ECONNRESET|socket hang up|TimeoutError/);
    await expect(ecs.send(new DescribeTasksCommand({ tasks: ["t"] }))).resolves.toBeDefined();
  });

  it("replaces the world, and rejects a bad one with the loader's message", async () => {
    const { call } = await start();
    expect((await call("POST", "/_sim/world", { tasks: 9 })).status).toBe(200);
    expect((await call("GET", "/_sim/state")).json.tasks).toBe(9);
    const bad = await call("POST", "/_sim/world", { tasks: "x" });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain("$.tasks must be a number");
    expect((await call("GET", "/_sim/nope")).status).toBe(404);
  });
});

describe("HTTP wire details", () => {
  it("sends x-amzn-RequestId and a real (not simulated) Date header", async () => {
    const sim = createSimulator({ world: testWorld() });
    await sim.clock.advance(400 * 24 * 3600_000);
    server = await startHttpServer(sim, { port: 0 });
    const { request } = await import("node:http");
    const raw = await new Promise<string[]>((resolve, reject) => {
      const req = request(
        `${server!.url}/`,
        {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "AmazonEC2ContainerServiceV20141113.ListTasks",
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.rawHeaders));
        },
      );
      req.on("error", reject);
      req.end("{}");
    });
    expect(raw).toContain("x-amzn-RequestId");
    const date = raw[raw.findIndex((h) => h.toLowerCase() === "date") + 1]!;
    expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(60_000);
  });
});
