/**
 * The action's main step SIGKILLed right after each call that leaves something behind; then the post step, run as
 * GitHub runs it (a new process with the saved step state), removes the canary and its registration.
 */
import { afterAll, describe, expect, it } from "vitest";
import { defaultEngine } from "../../src/action/engine.js";
import { runAction } from "../../src/action/main.js";
import { runPost } from "../../src/action/post.js";
import { recordingAws } from "../action/fake-engine.js";
import { runStep } from "../action/harness.js";
import { actingParts, STEP_COMMANDS } from "../action/runner-log.js";
import { demoSimulator } from "../fixtures/demo-world.js";
import { killable, type Run } from "./harness.js";
import { checkInvariants } from "./invariants.js";
import { finish, tally } from "./tally.js";

tally.start("Post step after SIGKILL");

const KILL_AFTER = ["RunTask", "RegisterTargets", "DeregisterTargets", "UpdateService"];

afterAll(() => {
  const stale = finish("post-step", KILL_AFTER.length);
  if (stale) throw new Error(stale);
});

describe("the main step killed, then the post step", () => {
  it.each(KILL_AFTER)("killed right after %s answered: the post step leaves no canary behind", async (op) => {
    const sim = demoSimulator();
    let dead = false;
    let killed: () => void = () => {};
    const gone = new Promise<void>((resolve) => {
      killed = resolve;
    });
    const isDead = () => {
      if (!dead && sim.journal.calls({ operation: op }).some((c) => c.status === 200)) {
        dead = true;
        killed();
      }
      return dead;
    };
    const inputs = { command: "rollout", "deploy-context": "deploy-example", region: "us-east-1" };
    const env = { IMAGE_TAG: "v2", GITHUB_RUN_ID: "99" };
    const main = await runStep(
      () =>
        Promise.race([
          runAction({
            engine: defaultEngine,
            clock: sim.clock,
            aws: (settings) => killable(sim.ports(settings.region, { maxAttempts: 1 }), isDead),
            github: () => recordingAws([]) as never,
          }),
          gone,
        ]),
      inputs,
      { env },
    );
    expect(dead).toBe(true);
    expect(main.state.finished).toBeUndefined();
    const post = await runStep(
      () => runPost({ aws: (pending) => sim.ports(pending.region), clock: sim.clock }),
      inputs,
      {
        env,
        state: main.state,
      },
    );
    tally.scenario(0);
    expect(post.exitCode).toBe(0);
    const changed = sim.journal.calls({ operation: "UpdateService" }).some((c) => c.status === 200);
    const s = { sim, stamped: [] } as unknown as Run;
    const problems = await checkInvariants(
      s,
      { result: "failed", message: "killed", serviceChanged: changed },
      {
        before: {},
        skipServiceCheck: true,
        told: false,
      },
    );
    const printed = [main.stdout, post.stdout].flatMap((log) => actingParts(log, STEP_COMMANDS));
    tally.invariants(1, printed.length);
    expect([...problems, ...printed]).toEqual([]);
  });
});
