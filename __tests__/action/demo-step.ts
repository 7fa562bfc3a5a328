/** The action's main step on the real engine against the demo world, as a workflow runs it on deploy-example/. */
import { defaultEngine } from "../../src/action/engine.js";
import type { GitHubFactory } from "../../src/action/github-steps.js";
import { runAction } from "../../src/action/main.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { Simulator } from "../../src/sim/simulator.js";
import type { World } from "../../src/sim/world/index.js";
import { type DemoWorldOptions, demoSimulator } from "../fixtures/demo-world.js";
import { recordingAws } from "./fake-engine.js";
import { runStep, type StepRun } from "./harness.js";

export interface DemoStepOptions extends DemoWorldOptions {
  /** Runner environment on top of IMAGE_TAG=v2 and GITHUB_RUN_ID=99. */
  env?: Record<string, string>;
  /** The ports the step reaches AWS through; the simulator's own by default. */
  aws?: (sim: Simulator<World>, region: string) => AwsPorts;
  /** How the step reaches GitHub; by default a port that answers nothing. */
  github?: GitHubFactory;
}

/**
 * Starts the step with the given inputs over `deploy-context: deploy-example` in us-east-1; `step` settles when it
 * ends, and `sim` can be read before and after.
 */
export function demoStep(
  inputs: Record<string, string>,
  options: DemoStepOptions = {},
): { sim: Simulator<World>; step: Promise<StepRun> } {
  const sim = demoSimulator(options);
  const aws = options.aws ?? ((s, region) => s.ports(region));
  const step = runStep(
    () =>
      runAction({
        engine: defaultEngine,
        clock: sim.clock,
        aws: (settings) => aws(sim, settings.region),
        github: options.github ?? (() => recordingAws([]) as never),
      }),
    { "deploy-context": "deploy-example", region: "us-east-1", ...inputs },
    { env: { IMAGE_TAG: "v2", GITHUB_RUN_ID: "99", ...options.env } },
  );
  return { sim, step };
}
