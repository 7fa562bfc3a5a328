import { describe, expect, it } from "vitest";
import type { AwsPorts } from "../../src/aws/ports.js";
import { CageError } from "../../src/engine/errors.js";
import { Timeline } from "../../src/engine/events.js";
import { callAws, waitFor } from "../../src/engine/polling.js";
import { openSession } from "../../src/engine/session.js";
import { CLI_NAMING } from "../../src/inputs/naming.js";
import { VirtualClock } from "../../src/sim/clock.js";

function setup(overall = 3_600_000, signal?: AbortSignal) {
  const clock = new VirtualClock();
  const timeline = new Timeline();
  const session = openSession(
    { aws: {} as AwsPorts, clock, events: timeline.sink, naming: CLI_NAMING, ...(signal ? { signal } : {}) },
    overall,
  );
  return { clock, timeline, session };
}

async function failure(promise: Promise<unknown>): Promise<CageError> {
  try {
    await promise;
  } catch (error) {
    return error as CageError;
  }
  throw new Error("expected a failure");
}

const spec = {
  phase: "canary-running" as const,
  waitingFor: "the canary task to reach RUNNING",
  timeout: 120_000,
  setBy: "taskRunning" as const,
  interval: () => 3_000,
};

describe("waitFor", () => {
  it("beats a heartbeat at most every 30 s while nothing changes", async () => {
    const { clock, timeline, session } = setup();
    const start = clock.now();
    await waitFor(session, {
      ...spec,
      check: async () => (clock.now() - start >= 100_000 ? { done: true, value: 1 } : { done: false, seen: "PENDING" }),
    });
    const beats = timeline.events.filter((e) => e.type === "heartbeat").map((e) => e.at - start);
    expect(beats.length).toBe(3);
    for (let i = 1; i < beats.length; i++) expect((beats[i] ?? 0) - (beats[i - 1] ?? 0)).toBeGreaterThanOrEqual(30_000);
  });

  it("names the phase, the last state seen and the input to raise when a phase times out", async () => {
    const { session } = setup();
    const error = await failure(
      waitFor(session, {
        ...spec,
        check: async () => ({ done: false, seen: "PROVISIONING" }),
      }),
    );
    expect(error).toBeInstanceOf(CageError);
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      "Timed out after 2m00s waiting for the canary task to reach RUNNING (phase canary-running); last seen: PROVISIONING. Raise --task-running-timeout (now 2m00s) if this is expected to take longer.",
    );
  });

  it("ends with the failure a look reports, at once", async () => {
    const { clock, session } = setup();
    const start = clock.now();
    const stopped = new CageError("canary-failed", "canary-running", "Canary task stopped.");
    const error = await failure(waitFor(session, { ...spec, check: async () => ({ done: false, failed: stopped }) }));
    expect(error).toBe(stopped);
    expect(clock.now()).toBe(start);
  });

  it("blames the overall timeout when that is what ran out", async () => {
    const { session } = setup(30_000);
    const error = await failure(
      waitFor(session, {
        ...spec,
        check: async () => ({ done: false, seen: "PENDING" }),
      }),
    );
    expect(error.message).toContain("The overall timeout (30s) ran out");
  });

  it("keeps polling through throttling but stops at once on AccessDenied", async () => {
    const { session } = setup();
    let calls = 0;
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    await waitFor(session, {
      ...spec,
      check: async () => {
        calls++;
        if (calls < 3) throw throttled;
        return { done: true, value: undefined };
      },
    });
    expect(calls).toBe(3);
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    const error = await failure(
      callAws(session, "canary-start", "ecs:RunTask", async () => {
        throw denied;
      }),
    );
    expect(error.message).toContain("Allow 'ecs:RunTask' in the IAM policy");
  });

  it("stops waiting when canceled", async () => {
    const controller = new AbortController();
    const { clock, session } = setup(3_600_000, controller.signal);
    const start = clock.now();
    const error = await failure(
      waitFor(session, {
        ...spec,
        check: async () => {
          if (clock.now() - start >= 9_000) controller.abort(new Error("SIGTERM"));
          return { done: false, seen: "PENDING" };
        },
      }),
    );
    expect(error).toBeInstanceOf(CageError);
    expect(error.kind).toBe("canceled");
  });
});
