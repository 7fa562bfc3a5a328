import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { systemClock } from "../../src/shared/clock.js";

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

  it("shows the same digest for each container in the audit and in what was deployed", async () => {
    const { io } = capture();
    const summary = join(mkdtempSync(join(tmpdir(), "cage-demo-")), "summary.md");
    expect(await runCli(["demo", "--summary", summary], io)).toBe(0);
    const md = readFileSync(summary, "utf8");
    const audited = [
      ...md.matchAll(/^- production\/web ([\w-]+): <code>[^<]+<\/code> <code>(sha256:[0-9a-f]{64})<\/code>/gm),
    ];
    const deployed = [
      ...md.matchAll(/^\| ([\w-]+) \| <code>[^<]+<\/code> \| <code>(sha256:[0-9a-f]{64})<\/code> \|/gm),
    ];
    expect(audited.map((m) => m[1])).toEqual(["app", "log-router"]);
    expect(deployed.map((m) => [m[1], m[2]])).toEqual(audited.map((m) => [m[1], m[2]]));
  });

  it("shows a failing canary with --variant, leaving the service as it was", async () => {
    const { io, out, err } = capture();
    const summary = join(mkdtempSync(join(tmpdir(), "cage-demo-")), "summary.md");
    expect(await runCli(["demo", "--variant", "crash", "--summary", summary], io)).toBe(1);
    expect(err).toEqual([]);
    expect(out.join("\n")).toMatch(
      /failed: Canary task .* container "app" exited with code 1\..* The service was not changed\./,
    );
    expect(out.join("\n")).toMatch(/production\/web\s+app\s+web:v1@/);
    expect(readFileSync(summary, "utf8")).toContain("> [!CAUTION]");
  });

  it("says in the summary, under the rollout's verdict, that the audit gate failed the run (--variant scan-failed)", async () => {
    const { io } = capture();
    const summary = join(mkdtempSync(join(tmpdir(), "cage-demo-")), "summary.md");
    expect(await runCli(["demo", "--variant", "scan-failed", "--summary", summary], io)).toBe(1);
    const md = readFileSync(summary, "utf8");
    const verdict = md.indexOf("> [!TIP]");
    const audit = md.indexOf("> [!CAUTION]\n> The audit gate failed: ");
    expect(verdict).toBeGreaterThan(-1);
    expect(audit).toBeGreaterThan(verdict);
    expect(md.slice(audit, md.indexOf("\n\n", audit))).toMatch(/scan/i);
  });

  it.each([
    [["--region", "eu-west-1"], "--region does not apply to 'demo'"],
    [["--cluster", "staging"], "--cluster does not apply to 'demo'"],
    [["--endpoint-url", "http://127.0.0.1:4566"], "--endpoint-url does not apply to 'demo'"],
    [["--json"], "--json does not apply to 'demo'"],
    [["./deploy"], "cage demo takes no deploy context"],
  ])("refuses %j, which its world decides, instead of ignoring it", async (flags, message) => {
    const { io, err } = capture();
    expect(await runCli(["demo", ...flags], io)).toBe(2);
    expect(err.join("\n")).toContain(message);
  });

  it("offers in --help only flags it honours", async () => {
    const { io, out } = capture();
    expect(await runCli(["demo", "--help"], io)).toBe(0);
    const help = out.join("\n");
    for (const flag of [
      "--update-service",
      "--task-running-timeout",
      "--canary-instance-arn",
      "--fail-on",
      "--summary",
    ])
      expect(help).toContain(flag);
    for (const flag of ["--region", "--cluster", "--service", "--endpoint-url", "--json"])
      expect(help).not.toContain(`${flag} `);
  });

  it("names the variants when an unknown one is asked for", async () => {
    const { io, err } = capture();
    expect(await runCli(["demo", "--variant", "nope"], io)).not.toBe(0);
    expect(err.join("\n")).toMatch(/nope/);
  });
});

/** The README's variant tables: each row's variant, the flags it is run with, its exit code and quoted output. */
function readmeVariants(table: "demo-variants" | "demo-audit-variants") {
  const readme = readFileSync("README.md", "utf8");
  const body = new RegExp(`<!-- ${table}:start -->\\n([\\s\\S]*?)\\n<!-- ${table}:end -->`).exec(readme)?.[1] ?? "";
  const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  return body
    .split("\n")
    .slice(2)
    .map((line) => {
      const [variant = "", flags = "", exit = "", outcome = ""] = line.split("|").slice(1, -1);
      return {
        variant: spans(variant)[0] ?? "",
        flags: spans(flags).flatMap((f) => f.split(" ")),
        exit: Number(exit.trim()),
        expected: spans(outcome),
      };
    });
}

const rolloutVariants = readmeVariants("demo-variants");
const auditVariants = readmeVariants("demo-audit-variants");

/** `cage demo` with the row's variant and flags: exits as the row says; what it printed. */
async function demoOf(v: ReturnType<typeof readmeVariants>[number]): Promise<string> {
  const { io, out, err } = capture();
  const summary = join(mkdtempSync(join(tmpdir(), "cage-demo-")), "summary.md");
  const code = await runCli(["demo", "--variant", v.variant, ...v.flags, "--summary", summary], io);
  const text = [...out, ...err].join("\n");
  expect(code, text).toBe(v.exit);
  return text;
}

describe("the demo variants the README lists", () => {
  it("are every variant of the demo world, each with an exit code and quoted output", () => {
    const world = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));
    const listed = [...rolloutVariants, ...auditVariants];
    expect(new Set(listed.map((v) => v.variant))).toEqual(new Set(Object.keys(world.variants)));
    for (const v of listed) {
      expect(Number.isInteger(v.exit), v.variant).toBe(true);
      expect(v.expected.length, v.variant).toBeGreaterThan(0);
    }
  });

  it.each(rolloutVariants.map((v) => [[v.variant, ...v.flags].join(" "), v] as const))(
    "%s fails as the README says and leaves the service on web:v1",
    async (_name, v) => {
      const text = await demoOf(v);
      for (const quoted of [...v.expected, "The service was not changed.", "web:v1"]) expect(text).toContain(quoted);
      expect(text).toMatch(/production\/web\s+app\s+web:v1@/);
    },
  );

  it.each(auditVariants.map((v) => [[v.variant, ...v.flags].join(" "), v] as const))(
    "%s reports as the README says",
    async (_name, v) => {
      const text = await demoOf(v);
      expect(text).toMatch(/succeeded: Service 'web' rolled out to web:2/);
      for (const quoted of v.expected) expect(text).toContain(quoted);
    },
  );
});
