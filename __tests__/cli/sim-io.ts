/** A CLI run against the in-process simulator on the demo world: captured output, simulated time. */
import { readFileSync } from "node:fs";
import type { AwsSettings } from "../../src/aws/clients.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { CliIo } from "../../src/cli/io.js";
import { createSimulator } from "../../src/sim/simulator.js";
import { World } from "../../src/sim/world/index.js";

const worldJson = JSON.parse(readFileSync("deploy-example/world.json", "utf8"));

export function demoWorld(variant?: string) {
  const sim = createSimulator({
    world: (clock) =>
      World.fromJson(worldJson, "deploy-example/world.json", { clock, ...(variant ? { variant } : {}) }),
  });
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: { IMAGE_TAG: "v2" }, clock: sim.clock };
  const ports = (aws: AwsSettings): AwsPorts => sim.ports(aws.region);
  return { sim, out, err, io, ports };
}
