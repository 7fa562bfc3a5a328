/** A CLI run against the in-process simulator on the demo world: captured output, simulated time. */
import type { AwsSettings } from "../../src/aws/clients.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { CliIo } from "../../src/cli/io.js";
import { type DemoWorldOptions, demoSimulator } from "../fixtures/demo-world.js";

export function demoWorld(variant?: string, options: Omit<DemoWorldOptions, "variant"> = {}) {
  const sim = demoSimulator({ ...options, variant });
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: { IMAGE_TAG: "v2" }, clock: sim.clock };
  const ports = (aws: AwsSettings): AwsPorts => sim.ports(aws.region);
  return { sim, out, err, io, ports };
}
