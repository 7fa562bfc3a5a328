/**
 * Issue 14: what `verify` costs against what it saves. On the demo, each broken context is checked by `cage verify`
 * and rolled out by `cage rollout`: verify's time and calls (read calls only) against the rollout's time to its
 * verdict and the changes it made first. And `cage diff` of an unchanged context prints nothing.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import { demoWorld } from "../__tests__/cli/sim-io.js";
import { parseCommandLine } from "../src/cli/args.js";
import { deployCommand } from "../src/cli/commands/deploy.js";
import { diffCommand } from "../src/cli/commands/diff.js";
import { verifyCommand } from "../src/cli/commands/verify.js";
import { seconds, type Table, verdict, writeResult } from "./results.js";

interface Broken {
  name: string;
  env: Record<string, string>;
  /** service.json's network and load balancers reach a rollout only with --update-service. */
  flags?: string[];
  change?: (service: any, td: any) => void;
}

const BROKEN: Broken[] = [
  { name: "image tag not in ECR (IMAGE_TAG=v3)", env: { IMAGE_TAG: "v3" } },
  {
    name: "service.json names a subnet that does not exist (--update-service)",
    env: {},
    flags: ["--update-service"],
    change: (service) => {
      service.networkConfiguration.awsvpcConfiguration.subnets[0] = "subnet-0000000000000dead";
    },
  },
  {
    name: "container port not in the task definition's port mappings (--update-service)",
    env: {},
    flags: ["--update-service"],
    change: (service) => {
      service.loadBalancers[0].containerPort = 9999;
    },
  },
];

function contextFor(b: Broken): string {
  if (!b.change) return "deploy-example";
  const dir = mkdtempSync(join(tmpdir(), "cage-bench-plan-"));
  cpSync("deploy-example", dir, { recursive: true });
  const service = JSON.parse(readFileSync(join(dir, "service.json"), "utf8"));
  const td = JSON.parse(readFileSync(join(dir, "task-definition.json"), "utf8"));
  b.change(service, td);
  writeFileSync(join(dir, "service.json"), JSON.stringify(service));
  writeFileSync(join(dir, "task-definition.json"), JSON.stringify(td));
  return dir;
}

interface Run {
  exit: number;
  virtualMs: number;
  hostMs: number;
  calls: number;
  mutations: number;
}

async function measure(
  command: typeof verifyCommand,
  argv: string[],
  env: Record<string, string>,
): Promise<Run & { out: string[] }> {
  const w = demoWorld();
  Object.assign(w.io.env, env);
  const start = w.sim.clock.now();
  const host = performance.now();
  const exit = await command(parseCommandLine(argv, w.io.env), w.io, w.ports);
  return {
    exit,
    virtualMs: w.sim.clock.now() - start,
    hostMs: performance.now() - host,
    calls: w.sim.journal.calls().length,
    mutations: w.sim.journal.mutations().length,
    out: w.out,
  };
}

const BASE = ["--region", "us-east-1"];

it("verify against the rollout it would have spared", async () => {
  const rows: (string | number)[][] = [];
  for (const b of BROKEN) {
    const dir = contextFor(b);
    const checked = await measure(verifyCommand, ["verify", ...BASE, ...(b.flags ?? []), dir], b.env);
    const rolled = await measure(deployCommand, ["rollout", ...BASE, ...(b.flags ?? []), dir], b.env);
    rows.push([
      b.name,
      checked.exit === 1 ? "NG" : `**missed** (exit ${checked.exit})`,
      seconds(checked.virtualMs),
      `${Math.round(checked.hostMs)} ms`,
      checked.calls,
      verdict(checked.mutations === 0),
      rolled.exit === 0 ? "**succeeded**" : `failed (exit ${rolled.exit})`,
      seconds(rolled.virtualMs),
      rolled.calls,
      rolled.mutations,
      rolled.virtualMs > 0 ? `${Math.round(rolled.virtualMs / Math.max(checked.virtualMs, 1000))}×` : "-",
    ]);
  }
  const unchanged = await measure(diffCommand as typeof verifyCommand, ["diff", ...BASE, "deploy-example"], {
    IMAGE_TAG: "v1",
  });
  const tables: Table[] = [
    {
      title: "verify against the rollout it spares",
      about:
        "Each broken deploy context on the demo world is checked by `cage verify` and, on a fresh world, rolled out by `cage rollout`. " +
        "Virtual time is the simulator's (deterministic); host time is this machine's wall clock for verify. " +
        "Mutating calls are what the rollout changed (task definition registered, canary started and stopped) before it failed; verify must make none. " +
        "'sooner' is the rollout's time to its verdict over verify's (verify counted as at least 1 s).",
      columns: [
        "broken context",
        "verify",
        "verify time (virtual)",
        "verify time (host)",
        "verify calls",
        "no mutating call",
        "rollout",
        "rollout time to verdict (virtual)",
        "rollout calls",
        "rollout mutating calls",
        "sooner",
      ],
      rows,
    },
    {
      title: "diff of an unchanged context",
      about: "`cage diff deploy-example` with IMAGE_TAG=v1, the demo service's live revision. Target: prints nothing.",
      columns: ["lines printed", "exit", "calls", "mutating calls", "prints nothing"],
      rows: [
        [
          unchanged.out.length,
          unchanged.exit,
          unchanged.calls,
          unchanged.mutations,
          verdict(unchanged.out.length === 0 && unchanged.mutations === 0),
        ],
      ],
    },
  ];
  writeResult("plan", { order: 1.5, section: "Plan before change", tables });
});
