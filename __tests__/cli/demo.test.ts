import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { systemClock } from "../../src/engine/clock.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, clock: systemClock };
  return { io, out, err };
}

describe("cage demo", () => {
  it("rolls deploy-example out on the simulator, audits it and writes the job summary", async () => {
    const { io, out } = capture();
    const summary = join(mkdtempSync(join(tmpdir(), "cage-demo-")), "summary.md");
    expect(await runCli(["demo", "--summary", summary], io)).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/succeeded: Service 'web' rolled out to web:2/);
    expect(text).toMatch(/production\/web\s+app\s+web:v2@/);
    expect(text).toContain(`job summary written to ${summary}`);
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("> [!TIP]");
    expect(md).toContain("```mermaid");
    expect(md).toContain("1 LOW");
    expect(md).toMatch(
      /\| app \| <code>123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/web:v2<\/code> \| <code>sha256:[0-9a-f]{64}<\/code> \|/,
    );
  });

  it("shows a failing canary with --variant, leaving the service as it was", async () => {
    const { io, out, err } = capture();
    const summary = join(mkdtempSync(join(tmpdir(), "cage-demo-")), "summary.md");
    expect(await runCli(["demo", "--variant", "crash", "--summary", summary], io)).toBe(1);
    expect(err).toEqual([]);
    expect(out.join("\n")).toMatch(
      /failed: Canary task .* container "app" exited with code 1\. The service was not changed\./,
    );
    expect(out.join("\n")).toMatch(/production\/web\s+app\s+web:v1@/);
    expect(readFileSync(summary, "utf8")).toContain("> [!CAUTION]");
  });

  it("names the variants when an unknown one is asked for", async () => {
    const { io, err } = capture();
    expect(await runCli(["demo", "--variant", "nope"], io)).not.toBe(0);
    expect(err.join("\n")).toMatch(/nope/);
  });
});
