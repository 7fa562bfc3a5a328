/** nativeCommand's verdict when the command is canceled while its one call is in flight. */
import { describe, expect, it } from "vitest";
import type { CageEvent } from "../../src/engine/events.js";
import { nativeCommand } from "../../src/engine/native-command.js";
import { DEFAULT_TIMEOUTS } from "../../src/engine/settings.js";
import { CLI_NAMING } from "../../src/inputs/naming.js";
import { nativeSimulator, PAUSE_HOOK, startBlueGreen, untilPaused } from "../fixtures/native-world.js";

describe("nativeCommand", () => {
  it("canceled with ContinueServiceDeployment unanswered: unsettled, and says what the deployment showed when read back", async () => {
    const sim = nativeSimulator();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    sim.faults.add([{ operation: "ContinueServiceDeployment", effect: "latency", latencyMs: 60_000 }]);
    const controller = new AbortController();
    const events = (e: CageEvent) => {
      // A second after the call went out: it is in flight, held by the latency fault.
      if (e.type === "phase-started" && e.phase === "deployment")
        void sim.clock.sleep(1000).then(() => controller.abort(new Error("SIGTERM")));
    };
    const settings = { region: "us-east-1", cluster: "production", service: "web", timeouts: DEFAULT_TIMEOUTS };
    const result = await nativeCommand("continue", settings, {
      aws: sim.ports("us-east-1"),
      clock: sim.clock,
      events,
      naming: CLI_NAMING,
      signal: controller.signal,
    });
    expect(result.result, result.message).toBe("canceled");
    expect(result.serviceChanged).toBe("unknown");
    expect(result.unsettled?.map((u) => u.operation)).toEqual(["ecs:ContinueServiceDeployment"]);
    expect(result.message).toContain(`read back: service deployment ${arn} is IN_PROGRESS`);
    expect(result.message).toMatch(/hook ecs-pause-\S+ AWAITING_ACTION/);
  });

  it("canceled before its call is sent: nothing is sent and the service was not changed", async () => {
    const sim = nativeSimulator();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    sim.journal.clear();
    const controller = new AbortController();
    const events = (e: CageEvent) => {
      if (e.type === "phase-started" && e.phase === "deployment") controller.abort(new Error("SIGTERM"));
    };
    const settings = { region: "us-east-1", cluster: "production", service: "web", timeouts: DEFAULT_TIMEOUTS };
    const result = await nativeCommand("continue", settings, {
      aws: sim.ports("us-east-1"),
      clock: sim.clock,
      events,
      naming: CLI_NAMING,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ result: "canceled", serviceChanged: false, serviceDeploymentArn: arn });
    expect(result.message).toMatch(/The service was not changed/);
    expect(sim.journal.mutations()).toEqual([]);
  });
});
