import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { parseServeArgs, serve } from "../../src/sim/serve.js";
import { testWorld } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "cage-sim-"));
const worldFile = join(dir, "world.json");
writeFileSync(worldFile, JSON.stringify({ tasks: 4 }));

describe("serve", () => {
  it("prints the listening line first, serves the world file, and runs time at the given scale", async () => {
    const lines: string[] = [];
    const running = await serve({
      worldFile,
      port: 0,
      timeScale: 60,
      loadWorld: (json) => testWorld({ snapshot: () => json }),
      log: (line) => lines.push(line),
    });
    try {
      expect(lines[0]).toBe(`listening on ${running.url}`);
      expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const first = (await (await fetch(`${running.url}/_sim/state`)).json()) as { now: string; tasks: number };
      expect(first.tasks).toBe(4);
      await new Promise((r) => setTimeout(r, 100));
      const second = (await (await fetch(`${running.url}/_sim/state`)).json()) as { now: string };
      expect(Date.parse(second.now) - Date.parse(first.now)).toBeGreaterThanOrEqual(3000);
    } finally {
      await running.close();
    }
  });

  it("overlaps the injected latency of concurrent calls in real time", async () => {
    const running = await serve({ worldFile, port: 0, loadWorld: () => testWorld(), log: () => {} });
    try {
      const faults = [{ service: "ecs", effect: "latency", latencyMs: 400 }];
      await fetch(`${running.url}/_sim/faults`, { method: "POST", body: JSON.stringify(faults) });
      const ecs = new ECSClient({
        region: "us-east-1",
        endpoint: running.url,
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      const started = Date.now();
      const calls = Array.from({ length: 8 }, (_, i) =>
        ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [`t${i}`] })),
      );
      expect((await Promise.all(calls)).map((out) => out.tasks?.length)).toEqual(Array(8).fill(1));
      const wall = Date.now() - started;
      expect(wall).toBeGreaterThanOrEqual(400);
      // One after another they would take 3.2 s.
      expect(wall).toBeLessThan(2000);
    } finally {
      await running.close();
    }
  });

  it("passes FILE#variant to the loader as the file and the variant name", async () => {
    const seen: unknown[] = [];
    const running = await serve({
      worldFile: `${worldFile}#slow-boot`,
      loadWorld: (json, source, _clock, variant) => {
        seen.push(json, source, variant);
        return testWorld();
      },
      log: () => {},
    });
    await running.close();
    expect(seen).toEqual([{ tasks: 4 }, worldFile, "slow-boot"]);
  });

  it("names the file when the world cannot be read", async () => {
    await expect(serve({ worldFile: join(dir, "nope.json"), loadWorld: () => testWorld() })).rejects.toThrow(
      /cannot read world file .*nope\.json/,
    );
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{");
    await expect(serve({ worldFile: broken, loadWorld: () => testWorld() })).rejects.toThrow(
      /broken\.json is not valid JSON/,
    );
  });
});

describe("parseServeArgs", () => {
  it("reads every flag, in both --flag value and --flag=value form", () => {
    expect(
      parseServeArgs(["--world", "w.json", "--host=0.0.0.0", "--port", "0", "--time-scale", "60", "--seed=7"]),
    ).toEqual({
      worldFile: "w.json",
      host: "0.0.0.0",
      port: 0,
      timeScale: 60,
      seed: 7,
    });
  });

  it.each([
    [[], "--world FILE is required"],
    [["--world"], "--world needs a value"],
    [["--world", "w", "--port", "http"], "--port must be a port 0-65535, got 'http'"],
    [["--world", "w", "--time-scale", "0"], "--time-scale must be a number > 0 like 60, got '0'"],
    [["--world", "w", "--seed", "1.5"], "--seed must be a whole number, got '1.5'"],
    [["--world", "w", "--verbose"], "unknown argument '--verbose'"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseServeArgs(argv)).toThrow(message);
  });
});

describe("runSimServe", () => {
  it("exits 2 with the usage when the arguments are wrong", async () => {
    const { runSimServe } = await import("../../src/sim/serve.js");
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await runSimServe(["--port", "1"])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join("")).toContain("--world FILE is required");
    expect(errors.join("")).toContain("usage: cage sim serve --world FILE");
  });
});

describe("serve with the demo world", () => {
  const demoFile = fileURLToPath(new URL("../../deploy-example/world.json", import.meta.url));

  it("replaces the world with POST /_sim/world, and rejects an invalid one with its JSON path", async () => {
    const running = await serve({ worldFile: demoFile, port: 0, log: () => {} });
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${running.url}${path}`, { method: "POST", body: JSON.stringify(body) });
      const demo = JSON.parse(readFileSync(demoFile, "utf8"));
      expect((await post("/_sim/world?variant=slow-boot", demo)).status).toBe(200);
      const bad = await post("/_sim/world", { ...demo, colour: "red" });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toContain("colour");
      const unknownVariant = await post("/_sim/world?variant=nope", demo);
      expect(((await unknownVariant.json()) as { error: string }).error).toContain('no variant "nope"');
    } finally {
      await running.close();
    }
  });
});
