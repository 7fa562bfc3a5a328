/**
 * `cage demo`: a full rollout and audit of deploy-example/ against the built-in simulator, in simulated time.
 * `--variant NAME` picks one of the world's failing variants ("try a failing canary").
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { audit, FAIL_ON, gate, renderTable } from "../../audit/index.js";
import { loadDeployContext } from "../../context/load.js";
import type { CageEvent } from "../../engine/events.js";
import { rollout } from "../../engine/rollout.js";
import { DEFAULT_TIMEOUTS, type RolloutSettings } from "../../engine/settings.js";
import { oneOf } from "../../inputs/validate.js";
import { deployedOf } from "../../report/deployed.js";
import { renderSummary } from "../../report/summary.js";
import { createSimulator } from "../../sim/simulator.js";
import { World } from "../../sim/world/index.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { logLine } from "../log.js";
import { exitCodeOf } from "./deploy.js";

const DEFAULT_SUMMARY = "cage-demo-summary.md";

/** deploy-example/ in the working directory, or beside the bundle (dist/../deploy-example). */
export function findDemoDir(scriptPath: string | undefined): string {
  const candidates = ["deploy-example", ...(scriptPath ? [join(dirname(scriptPath), "..", "deploy-example")] : [])];
  const found = candidates.find((dir) => existsSync(join(dir, "world.json")));
  if (!found) throw new Error("deploy-example/world.json not found: run cage demo from a clone of cage-action");
  return found;
}

export async function demoCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const dir = findDemoDir(io.scriptPath);
  const variant = typeof args.values.variant === "string" ? args.values.variant : undefined;
  const worldFile = join(dir, "world.json");
  const worldJson = JSON.parse(readFileSync(worldFile, "utf8"));
  const sim = createSimulator({
    world: (clock) => World.fromJson(worldJson, worldFile, { clock, ...(variant ? { variant } : {}) }),
  });
  const env = { ...io.env, IMAGE_TAG: io.env.IMAGE_TAG ?? "v2" };
  const context = loadDeployContext(dir, { env });
  const region = typeof worldJson.region === "string" ? worldJson.region : "us-east-1";
  const ports = sim.ports(region);
  const target = { region, cluster: context.service.cluster ?? "", service: context.service.serviceName ?? "" };
  const settings: RolloutSettings = {
    ...target,
    context,
    updateService: false,
    canaryTaskIdleDuration: 15_000,
    timeouts: DEFAULT_TIMEOUTS,
    onDeploymentFailure: "rollback",
    waitIfBusy: false,
    runId: "demo",
  };
  io.out(
    `cage demo: rolling ${target.service} out to IMAGE_TAG=${env.IMAGE_TAG} on the simulator${variant ? ` (variant ${variant})` : ""}; times are simulated`,
  );
  const events: CageEvent[] = [];
  const startedAt = sim.clock.now();
  const result = await rollout(settings, {
    aws: ports,
    clock: sim.clock,
    events: (e) => {
      events.push(e);
      io.out(logLine(e, startedAt));
    },
    ...(io.signal ? { signal: io.signal } : {}),
  });
  io.out("");
  io.out(`cage demo: auditing the images ${target.service} runs now`);
  const report = await audit(
    { targets: [target], source: "running", scanWaitTimeout: 5 * 60_000 },
    { aws: ports, clock: sim.clock },
  );
  io.out(renderTable(report));
  const failOn = oneOf(
    "--fail-on",
    typeof args.values["fail-on"] === "string" ? args.values["fail-on"] : "none",
    FAIL_ON,
  );
  const verdict = gate(report, { failOn, fixableOnly: args.values["fail-on-fixable-only"] === true });
  io.out(`audit ${verdict.reason}`);
  const path = typeof args.values.summary === "string" ? args.values.summary : DEFAULT_SUMMARY;
  const deployed = deployedOf(context, events, result);
  writeFileSync(path, renderSummary({ command: "rollout", target, events, result, deployed, audit: report }));
  io.out(`\njob summary written to ${resolve(path)}`);
  const code = exitCodeOf(result);
  return code !== 0 ? code : verdict.failed ? 1 : 0;
}
