/**
 * One word for a report's highest severity wherever it is shown: the action's `highest-severity` output and its
 * `audit-json`, `cage audit --json`, and the alert that opens the audit in both job summaries.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { auditCommand } from "../../src/cli/commands/audit.js";
import { demoStep } from "../action/demo-step.js";
import { demoWorld } from "../cli/sim-io.js";
import { DEMO_WORLD } from "../fixtures/demo-world.js";

/** The demo world without its public log router: every image it runs is in ECR. */
function ecrOnlyWorld() {
  const world = structuredClone(DEMO_WORLD);
  for (const td of world.taskDefinitions) {
    td.containerDefinitions = td.containerDefinitions.filter((c: { image: string }) => !c.image.startsWith("public."));
  }
  return world;
}

/** The alert of the audit's own section: the second of the summary, after the verdict's. */
const auditAlert = (summary: string) => [...summary.matchAll(/^> \[!(\w+)\]$/gm)].map((m) => m[1])[1];

interface Case {
  name: string;
  variant?: string;
  world?: unknown;
  source: string;
  word: string;
  alert: string;
}

const CASES: Case[] = [
  {
    name: "the worst finding",
    variant: "critical-findings",
    source: "deploy-context",
    word: "CRITICAL",
    alert: "CAUTION",
  },
  { name: "a finding beside an image ECR cannot scan", source: "deploy-context", word: "LOW", alert: "WARNING" },
  {
    name: "nothing found, but a scan FAILED",
    variant: "scan-failed",
    source: "deploy-context",
    word: "UNKNOWN",
    alert: "CAUTION",
  },
  {
    name: "every image scanned and nothing found",
    variant: "critical-findings",
    world: ecrOnlyWorld(),
    source: "running",
    word: "NONE",
    alert: "TIP",
  },
];

describe("the highest severity, in every front end", () => {
  it.each(CASES)("$name: $word", async (c) => {
    const { word, alert } = c;
    const gates = { "fail-on": "none", "fail-on-unscanned": "none" };
    const action = await demoStep(
      { command: "audit", "audit-source": c.source, ...gates },
      { variant: c.variant, world: c.world },
    ).step;
    expect(action.exitCode).toBe(0);
    const actionJson = JSON.parse(readFileSync(action.outputs["audit-json"] as string, "utf8"));

    const cli = demoWorld(c.variant, { world: c.world });
    const summary = join(mkdtempSync(join(tmpdir(), "cage-highest-")), "summary.md");
    const argv = ["audit", "--region", "us-east-1", "--audit-source", c.source, "--json", "--summary", summary];
    const flags = Object.entries(gates).flatMap(([name, value]) => [`--${name}`, value]);
    const code = await auditCommand(
      parseCommandLine([...argv, ...flags, "deploy-example"], cli.io.env),
      cli.io,
      cli.ports,
    );
    expect(code).toBe(0);
    const cliJson = JSON.parse(cli.out.join("\n"));

    expect({
      output: action.outputs["highest-severity"],
      "audit-json": actionJson.summary.highest_severity,
      "cage audit --json": cliJson.summary.highest_severity,
    }).toEqual({ output: word, "audit-json": word, "cage audit --json": word });
    expect([auditAlert(action.summary), auditAlert(readFileSync(summary, "utf8"))]).toEqual([alert, alert]);
  });
});
