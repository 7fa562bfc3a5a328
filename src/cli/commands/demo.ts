/**
 * `cage demo`: a full rollout and audit of deploy-example/ against the built-in simulator, in simulated time.
 * `--variant NAME` picks one of the world's failing variants ("try a failing canary").
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  type AuditSettings,
  audit,
  auditResultOf,
  findIgnoreFile,
  gate,
  readIgnoreFile,
  renderTable,
} from "../../audit/index.js";
import type { DeployContext } from "../../context/types.js";
import type { CageEvent } from "../../engine/events.js";
import { rollout } from "../../engine/rollout.js";
import type { RolloutSettings } from "../../engine/settings.js";
import { FIELDS as F } from "../../inputs/fields.js";
import { readMetricsFile } from "../../inputs/metrics-file.js";
import { CLI_NAMING } from "../../inputs/naming.js";
import { InputError } from "../../inputs/validate.js";
import { deployedOf } from "../../report/deployed.js";
import { renderSummary } from "../../report/summary.js";
import { createSimulator } from "../../sim/simulator.js";
import { World } from "../../sim/world/index.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { logLine } from "../log.js";
import { auditInputsFrom, checkedValues, rolloutSettingsIn } from "../settings.js";
import { exitCodeOf } from "./deploy.js";

const DEFAULT_SUMMARY = "cage-demo-summary.md";

/** The soak the `soak-*` variants need, when no --canary-soak is given: long enough for the alarm's period. */
const DEMO_SOAK_MS = 3 * 60_000;

/**
 * A `soak-*` variant soaks, watching the world's alarms, unless the flags say otherwise; `soak-metric` measures
 * the checks of deploy-example/canary-metrics.yml too.
 */
function demoSoak(
  soak: RolloutSettings["soak"],
  variant: string | undefined,
  worldJson: { alarms?: { name: string }[] },
  dir: string,
) {
  if (!variant?.startsWith("soak-") || (soak && soak.durationMs > 0)) return soak;
  const alarms = soak?.alarms.length ? soak.alarms : (worldJson.alarms ?? []).map((a) => a.name);
  const metrics =
    variant === "soak-metric" ? { metrics: readMetricsFile(join(dir, "canary-metrics.yml"), "--canary-metrics") } : {};
  return {
    durationMs: DEMO_SOAK_MS,
    alarms,
    insufficientData: soak?.insufficientData ?? ("ignore" as const),
    ...metrics,
  };
}

/** deploy-example/ in the working directory, or beside the bundle (dist/../deploy-example). */
export function findDemoDir(scriptPath: string | undefined): string {
  const candidates = ["deploy-example", ...(scriptPath ? [join(dirname(scriptPath), "..", "deploy-example")] : [])];
  const found = candidates.find((dir) => existsSync(join(dir, "world.json")));
  if (!found) throw new Error("deploy-example/world.json not found: run cage demo from a clone of cage-action");
  return found;
}

export async function demoCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) {
    throw new InputError(
      `cage demo takes no deploy context (it rolls out deploy-example/), got '${args.positionals[0]}'`,
    );
  }
  const dir = findDemoDir(io.scriptPath);
  const values = checkedValues(args);
  const variant = values.get(F.variant);
  const worldFile = join(dir, "world.json");
  const worldJson = JSON.parse(readFileSync(worldFile, "utf8"));
  const sim = createSimulator({
    world: (clock) => World.fromJson(worldJson, worldFile, { clock, ...(variant ? { variant } : {}) }),
  });
  const env = { ...io.env, IMAGE_TAG: io.env.IMAGE_TAG ?? "v2" };
  const region = typeof worldJson.region === "string" ? worldJson.region : "us-east-1";
  // Every rollout flag works as in `cage rollout`; the world is the deploy context's, in its own region.
  const given = rolloutSettingsIn({ ...args, positionals: [dir] }, env, { region, runId: "demo" });
  const soak = demoSoak(given.soak, variant, worldJson, dir);
  const settings: RolloutSettings = { ...given, ...(soak ? { soak } : {}) };
  const context = settings.context as DeployContext;
  const { failOn, failOnFixableOnly, ignoreFile, scanWaitTimeout } = auditInputsFrom(args);
  const ignorePath = ignoreFile ?? (await findIgnoreFile([dir, "."]));
  const auditSettings: AuditSettings = {
    targets: [{ region, cluster: settings.cluster, service: settings.service }],
    source: "running",
    scanWaitTimeout,
    ...(ignorePath ? { ignore: await readIgnoreFile(ignorePath) } : {}),
  };
  const target = { region, cluster: settings.cluster, service: settings.service };
  const ports = sim.ports(region);
  io.out(
    `cage demo: rolling ${target.service} out to IMAGE_TAG=${env.IMAGE_TAG} on the simulator${variant ? ` (variant ${variant})` : ""}; times are simulated`,
  );
  const events: CageEvent[] = [];
  const startedAt = sim.clock.now();
  const result = await rollout(settings, {
    aws: ports,
    clock: sim.clock,
    naming: CLI_NAMING,
    events: (e) => {
      events.push(e);
      io.out(logLine(e, startedAt));
    },
    ...(io.signal ? { signal: io.signal } : {}),
  });
  io.out("");
  io.out(`cage demo: auditing the images ${target.service} runs now`);
  const report = await audit(auditSettings, { aws: ports, clock: sim.clock });
  io.out(renderTable(report));
  const verdict = gate(report, { failOn, fixableOnly: failOnFixableOnly });
  io.out(`audit ${verdict.reason}`);
  const path = values.get(F.summaryFile) ?? DEFAULT_SUMMARY;
  const deployed = deployedOf(context, events, result);
  writeFileSync(
    path,
    renderSummary({
      command: "rollout",
      target,
      events,
      result,
      deployed,
      audit: report,
      auditResult: auditResultOf(verdict),
    }),
  );
  io.out(`\njob summary written to ${resolve(path)}`);
  const code = exitCodeOf(result);
  return code !== 0 ? code : verdict.failed ? 1 : 0;
}
