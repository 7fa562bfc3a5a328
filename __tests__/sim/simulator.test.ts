import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/sim/simulator.js";
import { testWorld } from "./fixtures.js";

async function pollForQuarterHour() {
  const sim = createSimulator({ world: testWorld() });
  const ports = sim.ports("us-east-1");
  const start = sim.clock.now();
  const seen: number[] = [];
  while (sim.clock.now() - start < 15 * 60_000) {
    const out = await ports.ecs.describeTasks({ cluster: "c", tasks: ["t"] });
    seen.push((out.tasks?.[0]?.createdAt?.getTime() ?? 0) - start);
    await sim.clock.sleep(15_000);
  }
  return { sim, seen };
}

describe("createSimulator", () => {
  it("drives a 15-minute poll loop through real SDK ports in well under a second, identically each run", async () => {
    const started = Date.now();
    const { sim, seen } = await pollForQuarterHour();
    expect(seen).toHaveLength(60);
    expect(seen.slice(0, 3)).toEqual([0, 15_000, 30_000]);
    expect((await pollForQuarterHour()).seen).toEqual(seen);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("lets a timeout race a poll loop without firing early", async () => {
    const sim = createSimulator({ world: testWorld() });
    const ports = sim.ports();
    const start = sim.clock.now();
    let polls = 0;
    const poll = (async () => {
      for (;;) {
        await ports.ecs.describeTasks({ tasks: ["t"] });
        polls++;
        await sim.clock.sleep(10_000);
      }
    })();
    await Promise.race([poll, sim.clock.sleep(60_000)]);
    expect(sim.clock.now() - start).toBe(60_000);
    expect(polls).toBe(6);
  });

  it("records mutating calls, answered or not, for no-change assertions", async () => {
    const sim = createSimulator({ world: testWorld() });
    await sim
      .ports("us-east-1", { maxAttempts: 1 })
      .ecs.updateService({ service: "s" })
      .catch(() => undefined);
    expect(sim.journal.mutations().map((c) => c.operation)).toEqual(["UpdateService"]);
  });

  it("loads the world's own fault rules and replaces them with a new world", async () => {
    const sim = createSimulator({ world: testWorld({ faults: [{ effect: "throttle" }] }) });
    expect(sim.faults.rules).toHaveLength(1);
    sim.replaceWorld(testWorld());
    expect(sim.faults.rules).toEqual([]);
  });
});

describe("retries and the auto-advancing clock", () => {
  it("keeps simulated time still while the SDK backs off between retries of one call", async () => {
    const sim = createSimulator({
      world: testWorld({ faults: [{ service: "ecs", operation: "DescribeTasks", effect: "throttle", count: 2 }] }),
    });
    const ports = sim.ports("us-east-1", { maxAttempts: 3 });
    const start = sim.clock.now();
    const winner = await Promise.race([
      ports.ecs.describeTasks({ tasks: ["t"] }).then(() => "call"),
      sim.clock.sleep(1000).then(() => "timeout"),
    ]);
    expect(winner).toBe("call");
    expect(sim.clock.now()).toBe(start);
    expect(sim.journal.calls().map((c) => c.attempt)).toEqual([1, 2, 3]);
  });
});
