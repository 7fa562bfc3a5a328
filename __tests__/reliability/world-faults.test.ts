/**
 * Faults of the world rather than of the wire: the canary vanishes, the target group is deleted mid-rollout, the
 * subnets are out of addresses, placement fails, one IAM action is denied, someone else stops the canary or AWS
 * answers with a message that tries to be a workflow command. Each fails clearly and leaves the service as it was
 * and no canary behind.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { CageEvent } from "../../src/engine/events.js";
import { rollout } from "../../src/engine/rollout.js";
import type { RolloutSettings } from "../../src/engine/settings.js";
import type { WorldBuilder } from "../../src/sim/world/index.js";
import { PAYLOAD } from "../action/runner-log.js";
import { REPO, rolloutSettings, TG_ARN, webServiceSpec } from "../engine/scenarios/world.js";
import { type Run, run, snapshotService } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { finish, headline, tally } from "./tally.js";

tally.start("World faults (rollout)");

interface Case {
  name: string;
  variant?: string;
  change?: (b: WorldBuilder) => WorldBuilder;
  settings?: Partial<RolloutSettings>;
  /** Something that happens to the world when an event is seen. */
  when?: (event: CageEvent) => boolean;
  act?: (s: Run) => void;
  message: RegExp;
}

/** Everything allowed but one action, as a policy missing that action would behave. */
const deny = (action: string) => (b: WorldBuilder) =>
  b.merge({
    iamPolicy: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Deny", Action: action, Resource: "*" },
      ],
    },
  });

const cases: Case[] = [
  {
    name: "the canary task disappears (DescribeTasks answers MISSING)",
    when: (e) => e.type === "target-health" && e.state === "initial",
    act: (s) => {
      for (const [arn, task] of s.world.state.tasks)
        if (task.group?.startsWith("cage:canary-task:")) s.world.state.tasks.delete(arn);
    },
    message: /MISSING|no longer exists|disappeared|not found/i,
  },
  {
    name: "the target group is deleted while the canary is being checked",
    when: (e) => e.type === "target-health" && e.state === "initial",
    act: (s) => {
      s.world.state.targetGroups.delete(TG_ARN);
    },
    message: /TargetGroupNotFound|target group/i,
  },
  { name: "the subnets have no free IP address", variant: "no-free-ips", message: /ENI|IP address|subnet/i },
  {
    name: "placement fails for lack of memory",
    variant: "placement-memory",
    change: (b) => b.service({ ...webServiceSpec(), launchType: "EC2" }),
    message: /RESOURCE:MEMORY|memory/i,
  },
  { name: "ecs:RunTask is denied", change: deny("ecs:RunTask"), message: /ecs:RunTask/ },
  {
    name: "elasticloadbalancing:RegisterTargets is denied",
    change: deny("elasticloadbalancing:RegisterTargets"),
    message: /elasticloadbalancing:RegisterTargets/,
  },
  { name: "ecs:UpdateService is denied", change: deny("ecs:UpdateService"), message: /ecs:UpdateService/ },
  {
    name: "someone else stops the canary, with workflow commands and escapes as the reason",
    change: (b) =>
      b
        .image(`${REPO}:v2`, {
          bootSeconds: 25,
          healthyAfterSeconds: 10,
          stopTaskAfterSeconds: 5,
          stopTaskReason: PAYLOAD,
        })
        .image("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable", {
          bootSeconds: 5,
          exitAfterSeconds: 2,
          exitReason: PAYLOAD,
        }),
    message: /UserInitiated: ops\\n::error title=Deploy OK::pwned/,
  },
  {
    name: "AWS refuses RegisterTargets with workflow commands in its message",
    when: (e) => e.type === "phase-started" && e.phase === "canary-start",
    act: (s) =>
      s.sim.faults.add([
        { operation: "RegisterTargets", effect: "error", code: "ValidationError", message: PAYLOAD, status: 400 },
      ]),
    message: /RegisterTargets failed: ValidationError: ops\\n::error title=Deploy OK::pwned/,
  },
];

describe("a rollout when the world fails it", () => {
  afterAll(() => {
    const stale = finish("world-faults", cases.length);
    if (stale) throw new Error(stale);
  });

  it.each(cases)("$name: fails clearly, service unchanged, no canary left", async (c) => {
    const s = run(c.variant, c.change);
    const before = await snapshotService(s);
    s.sim.journal.clear();
    if (c.when && c.act) {
      const sink = s.deps.events;
      let done = false;
      s.deps = {
        ...s.deps,
        events: (e) => {
          sink(e);
          if (!done && c.when?.(e)) {
            done = true;
            c.act?.(s);
          }
        },
      };
    }
    const result = await rollout(rolloutSettings(c.settings), s.deps);
    tally.scenario(1);
    tally.row(c.name, headline(result.message));
    expect(result.result).toBe("failed");
    expect(result.message).toMatch(c.message);
    expect(result.serviceChanged).toBe(false);
    expect(await checkInvariants(s, result, { before })).toEqual([]);
  });
});
