/**
 * Commands on services ECS deploys natively, for the native fault matrix: rollouts of BLUE_GREEN, LINEAR and CANARY
 * services (to the end, to a PAUSE hook, past the deployment timeout), and `continue` and `rollback` of a
 * deployment the user started. Each ends as `clean` says when nothing goes wrong.
 */
import { nativeCommand } from "../../src/engine/native-command.js";
import { rollout } from "../../src/engine/rollout.js";
import { type CommandResult, DEFAULT_TIMEOUTS, type RolloutSettings } from "../../src/engine/settings.js";
import { rolloutSettings } from "../engine/scenarios/world.js";
import {
  deployNatively,
  type NativeStrategy,
  nativeScenario,
  PAUSE_HOOK,
  startBlueGreen,
  untilEnded,
  untilPaused,
} from "../fixtures/native-world.js";
import { nativeSettings } from "./commands.js";
import { type Run, stamp } from "./harness.js";
import type { CommandName } from "./native-invariants.js";

export interface NativeCase {
  command: Extract<CommandName, "rollout" | "continue" | "rollback">;
  setup: () => Promise<Run>;
  go: (s: Run) => Promise<CommandResult>;
  clean: CommandResult["result"];
  settings?: () => RolloutSettings;
  waitUntil?: "deployed" | "traffic-shifted" | "paused";
  /** Fault sites only at these operations: the others are the ROLLING matrix's, in the same phases. */
  only?: readonly string[];
}

/** The operations native deployments added, and the update that starts one. */
export const NATIVE_OPERATIONS = [
  "ListServiceDeployments",
  "DescribeServiceDeployments",
  "DescribeServiceRevisions",
  "DescribeRules",
  "ContinueServiceDeployment",
  "StopServiceDeployment",
  "UpdateService",
];

const native = (strategy: NativeStrategy, change?: (w: any) => void): Run => stamp(nativeScenario(strategy, change));

/** web at web:2, deployed by ECS with a PAUSE hook that stays configured for the next deployment. */
async function pausingService(): Promise<Run> {
  const s = native("BLUE_GREEN");
  const arn = await startBlueGreen(s.sim as never, [PAUSE_HOOK]);
  await untilPaused(s.sim as never, arn);
  const hookId = (await s.deps.aws.ecs.describeServiceDeployments({ serviceDeploymentArns: [arn] }))
    .serviceDeployments?.[0]?.lifecycleHookDetails?.[0]?.hookId;
  await s.deps.aws.ecs.continueServiceDeployment({ serviceDeploymentArn: arn, hookId, action: "CONTINUE" });
  await untilEnded(s.sim as never, arn);
  return s;
}

/** A BLUE_GREEN deployment of web:2 started by the user: paused at its PAUSE hook, or in its bake. */
async function userDeployment(paused: boolean): Promise<Run> {
  const s = native("BLUE_GREEN");
  const arn = await startBlueGreen(s.sim as never, paused ? [PAUSE_HOOK] : []);
  if (paused) await untilPaused(s.sim as never, arn);
  else await s.sim.clock.advance(30_000);
  return s;
}

const rolloutWith = (settings: () => RolloutSettings) => (s: Run) => rollout(settings(), s.deps);
const pausedSettings = () => rolloutSettings({ waitUntil: "paused" });
/** A bake of 30 minutes against a deployment timeout of 5: cage rolls it back with StopServiceDeployment. */
const slowSettings = () => rolloutSettings({ timeouts: { ...DEFAULT_TIMEOUTS, deployment: 5 * 60_000 } });

export const NATIVE_CASES: Record<string, NativeCase> = {
  "rollout, BLUE_GREEN": {
    command: "rollout",
    setup: async () => native("BLUE_GREEN"),
    go: rolloutWith(() => rolloutSettings()),
    clean: "succeeded",
  },
  "rollout, BLUE_GREEN with production on the alternate group": {
    command: "rollout",
    setup: async () => {
      const s = native("BLUE_GREEN");
      if ((await deployNatively(s, "web:2")) !== "SUCCESSFUL") throw new Error("web:2 did not deploy");
      return s;
    },
    go: rolloutWith(() => rolloutSettings()),
    clean: "succeeded",
  },
  "rollout, LINEAR": {
    command: "rollout",
    setup: async () => native("LINEAR"),
    go: rolloutWith(() => rolloutSettings()),
    clean: "succeeded",
    only: NATIVE_OPERATIONS,
  },
  "rollout, CANARY": {
    command: "rollout",
    setup: async () => native("CANARY"),
    go: rolloutWith(() => rolloutSettings()),
    clean: "succeeded",
    only: NATIVE_OPERATIONS,
  },
  "rollout to a PAUSE hook, wait-until paused": {
    command: "rollout",
    setup: pausingService,
    go: rolloutWith(pausedSettings),
    settings: pausedSettings,
    clean: "paused",
    waitUntil: "paused",
    only: NATIVE_OPERATIONS,
  },
  "rollout past deployment-timeout, rolled back": {
    command: "rollout",
    setup: async () => native("BLUE_GREEN", (w) => Object.assign(w.services[0], { bakeTimeInMinutes: 30 })),
    go: rolloutWith(slowSettings),
    settings: slowSettings,
    clean: "rolled-back",
    only: NATIVE_OPERATIONS,
  },
  "continue a paused deployment": {
    command: "continue",
    setup: () => userDeployment(true),
    go: (s) => nativeCommand("continue", nativeSettings(), s.deps),
    clean: "succeeded",
  },
  "rollback a paused deployment": {
    command: "rollback",
    setup: () => userDeployment(true),
    go: (s) => nativeCommand("rollback", nativeSettings(), s.deps),
    clean: "succeeded",
  },
  "rollback a deployment in progress": {
    command: "rollback",
    setup: () => userDeployment(false),
    go: (s) => nativeCommand("rollback", nativeSettings(), s.deps),
    clean: "succeeded",
  },
};
