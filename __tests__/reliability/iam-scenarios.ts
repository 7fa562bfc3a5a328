/**
 * One scenario per way the tool is used (rollout on Fargate behind a load balancer, rollout on an EC2 instance
 * in bridge mode, up, run, cleanup of a killed run's canary, audit, verify, continue and rollback of a native
 * deployment, rollback of a ROLLING service through a canary), each able to run under an IAM policy.
 */
import { audit } from "../../src/audit/audit.js";
import { cleanup } from "../../src/engine/cleanup.js";
import type { NativeCommand } from "../../src/engine/native-action.js";
import { nativeCommand } from "../../src/engine/native-command.js";
import { rollout } from "../../src/engine/rollout.js";
import { runTask } from "../../src/engine/run.js";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { up } from "../../src/engine/up.js";
import { CLI_NAMING } from "../../src/inputs/naming.js";
import { verifyOf } from "../../src/inputs/settings.js";
import { requiredActions } from "../../src/sim/iam.js";
import { renderChecklist } from "../../src/verify/render.js";
import { verify } from "../../src/verify/verify.js";
import { scenario as auditScenario, auditWorld } from "../audit/sim-world.js";
import { metricSoak } from "../engine/scenarios/metric-checks.js";
import {
  bridgeTaskDefinition,
  EC2_INSTANCE,
  ec2BridgeWorld,
  REPO,
  rolloutSettings,
  webContext,
} from "../engine/scenarios/world.js";
import {
  deployNatively,
  deployRolling,
  nativeScenario,
  nativeSimulator,
  PAUSE_HOOK,
  startBlueGreen,
  untilPaused,
} from "../fixtures/native-world.js";
import { nlbScenario } from "../fixtures/nlb-world.js";
import { cleanupSettings, nativeSettings, runSettings, upSettings } from "./commands.js";
import { killAt, type Run, run } from "./harness.js";

export interface Outcome {
  ok: boolean;
  /** Everything the user would read: the message, or the report as JSON. */
  text: string;
  /** IAM actions the scenario called, e.g. `elasticloadbalancing:RegisterTargets`. */
  actions: string[];
}

const PREFIX: Record<string, string> = { ecs: "ecs", ecr: "ecr", elbv2: "elasticloadbalancing", ec2: "ec2" };

/** What each call needs of IAM, as the simulator enforces it (a tagged RunTask needs ecs:TagResource too). */
function actionsOf(calls: { service: string; operation: string; params: unknown }[]): string[] {
  return calls
    .filter((c) => c.service !== "unknown")
    .flatMap((c) => requiredActions(PREFIX[c.service] ?? c.service, c.operation, c.params));
}

/** Puts the policy in force from now on: set-up calls before this are the test's, not the tool's. */
function enforce(s: { sim: Run["sim"] }, policy: unknown): void {
  const world = s.sim.world as { iamPolicy?: unknown };
  world.iamPolicy = policy;
  s.sim.replaceWorld(s.sim.world);
  s.sim.journal.clear();
}

export const ec2World = ec2BridgeWorld(bridgeTaskDefinition("v1"));

/** A rollout of web-ec2 onto one named container instance: the canary is started with StartTask. */
export function ec2RolloutSettings() {
  const context = {
    ...webContext("v2"),
    service: { serviceName: "web-ec2", cluster: "production" },
    taskDefinition: bridgeTaskDefinition("v2"),
  };
  return rolloutSettings({ service: "web-ec2", context, canaryInstanceArn: EC2_INSTANCE });
}

function command(s: Run, policy: unknown, go: () => Promise<{ result: string; message: string }>): Promise<Outcome> {
  return commandOn(s.sim, policy, go);
}

async function commandOn(
  sim: Run["sim"],
  policy: unknown,
  go: () => Promise<{ result: string; message: string }>,
): Promise<Outcome> {
  enforce({ sim }, policy);
  const result = await go();
  return { ok: result.result === "succeeded", text: result.message, actions: actionsOf(sim.journal.calls()) };
}

/** A BLUE_GREEN deployment of web started by the test (paused at its PAUSE hook when `paused`), then the command. */
async function native(policy: unknown, command: NativeCommand, paused: boolean): Promise<Outcome> {
  const sim = nativeSimulator();
  const arn = await startBlueGreen(sim, paused ? [PAUSE_HOOK] : []);
  if (paused) await untilPaused(sim, arn);
  const deps = { aws: sim.ports("us-east-1"), clock: sim.clock, events: () => {}, naming: CLI_NAMING };
  return command === "continue"
    ? commandOn(sim, policy, () => nativeCommand("continue", nativeSettings(), deps))
    : commandOn(sim, policy, () => nativeCommand("rollback", nativeSettings(), deps));
}

export const IAM_SCENARIOS: Record<string, (policy: unknown) => Promise<Outcome>> = {
  "rollout (Fargate, load balancer)": (policy) => {
    const s = run();
    return command(s, policy, () => rollout(rolloutSettings(), s.deps));
  },
  "rollout --update-service": (policy) => {
    const s = run();
    return command(s, policy, () => rollout(rolloutSettings({ updateService: true }), s.deps));
  },
  "rollout (BLUE_GREEN, production on the alternate target group)": async (policy) => {
    const s = nativeScenario("BLUE_GREEN") as Run;
    s.stamped = [];
    await deployNatively(s, "web:2");
    return command(s, policy, () => rollout(rolloutSettings(), s.deps));
  },
  "rollout (BLUE_GREEN behind a Network Load Balancer)": (policy) => {
    const s = nlbScenario() as Run;
    s.stamped = [];
    return command(s, policy, () => rollout(rolloutSettings(), s.deps));
  },
  "rollout (EC2 instance, bridge mode)": (policy) => {
    const s = run(undefined, ec2World);
    return command(s, policy, () => rollout(ec2RolloutSettings(), s.deps));
  },
  "rollout --keep-revisions": async (policy) => {
    const s = run();
    const ecs = s.sim.ports("us-east-1", { maxAttempts: 1 }).ecs;
    await ecs.registerTaskDefinition({ ...webContext("v1").taskDefinition, family: "web" } as never);
    return command(s, policy, async () => {
      const result = await rollout(rolloutSettings({ keepRevisions: 1 }), s.deps);
      // Deregistering is reported, not failed: the scenario fails when web:2 stayed ACTIVE.
      const pruned = result.deregisteredRevisions?.length === 1;
      const warnings = s.timeline.events.flatMap((e) =>
        e.type === "notice" && e.level === "warning" ? [e.message] : [],
      );
      return pruned ? result : { result: "failed", message: [result.message, ...warnings].join(" ") };
    });
  },
  "rollout --canary-soak": (policy) => {
    const s = run();
    const soak = { durationMs: 60_000, alarms: ["web-5xx"], insufficientData: "ignore" as const };
    return command(s, policy, () => rollout(rolloutSettings({ soak }), s.deps));
  },
  "rollout --canary-metrics": (policy) => {
    const s = run();
    return command(s, policy, () => rollout(rolloutSettings({ soak: metricSoak({ durationMs: 60_000 }) }), s.deps));
  },
  up: (policy) => {
    const s = run();
    return command(s, policy, () => up(upSettings(), s.deps));
  },
  run: (policy) => {
    const s = run(undefined, (b) => b.image(`${REPO}:v2`, { exitAfterSeconds: 20, exitCode: 0 }));
    return command(s, policy, () => runTask(runSettings(), s.deps));
  },
  "cleanup of a killed run's canary": async (policy) => {
    const s = run();
    await killAt(s, "target-health");
    return command(s, policy, () => cleanup(cleanupSettings(), s.deps));
  },
  "continue of a paused native deployment": (policy) => native(policy, "continue", true),
  "rollback of a native deployment in progress": (policy) => native(policy, "rollback", false),
  "rollback of a ROLLING service to its previous revision": async (policy) => {
    const sim = nativeSimulator();
    await deployRolling(sim, "web:2");
    const { context: _, taskDefinitionArn: __, ...rollout } = rolloutSettings();
    const deps = { aws: sim.ports("us-east-1"), clock: sim.clock, events: () => {}, naming: CLI_NAMING };
    return commandOn(sim, policy, () => nativeCommand("rollback", nativeSettings({ rollout }), deps));
  },
  audit: async (policy) => {
    const s = await auditScenario(auditWorld());
    enforce(s, policy);
    const report = await audit(s.settings(["web"]), {
      aws: s.sim.ports("us-east-1", { maxAttempts: 1 }),
      clock: s.sim.clock,
    });
    const text = JSON.stringify(report);
    return { ok: !/AccessDenied|not authorized/.test(text), text, actions: actionsOf(s.sim.journal.calls()) };
  },
  verify: async (policy) => {
    const s = run();
    enforce(s, policy);
    const settings = verifyOf("rollout", rolloutSettings(), {
      source: "deploy-context",
      failOn: "critical",
      failOnFixableOnly: false,
      failOnUnscanned: "private",
      scanWaitTimeout: 0,
      detail: false,
    });
    const report = await verify(settings, s.deps, DEFAULT_TIMEOUTS.overall);
    const text = renderChecklist(report).join("\n");
    const denied = /AccessDenied|denied|not authorized/.test(text);
    return { ok: !report.failed && !denied, text, actions: actionsOf(s.sim.journal.calls()) };
  },
};
