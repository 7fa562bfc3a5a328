import { DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../src/sim/clock.js";
import { FaultPlan, type FaultRule, parseFaultRules } from "../../src/sim/faults.js";
import { createSimulator } from "../../src/sim/simulator.js";
import { simClientConfig, TG_ARN, testWorld } from "./fixtures.js";

function setup(rules: FaultRule[], maxAttempts = 1, seed = 1) {
  const sim = createSimulator({ world: testWorld({ faults: rules }), seed });
  const config = { ...simClientConfig(sim), maxAttempts };
  return { sim, ecs: new ECSClient(config), elb: new ElasticLoadBalancingV2Client(config), ec2: new EC2Client(config) };
}

const describeTasks = new DescribeTasksCommand({ cluster: "c", tasks: ["a"] });

describe("fault injection", () => {
  it.each([
    ["ecs", "ThrottlingException", 400],
    ["elbv2", "Throttling", 400],
    ["ec2", "RequestLimitExceeded", 503],
  ] as const)("throttles %s with the service's own code %s (%i)", async (service, code, status) => {
    const { ecs, elb, ec2 } = setup([{ service, effect: "throttle" }]);
    const send =
      service === "ecs"
        ? ecs.send(describeTasks)
        : service === "elbv2"
          ? elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))
          : ec2.send(new DescribeSubnetsCommand({}));
    const err = await send.catch((e) => e);
    expect(err.name).toBe(code);
    expect(err.$metadata.httpStatusCode).toBe(status);
  });

  it("fails only the first N matching calls, and the SDK's retry then succeeds", async () => {
    const { sim, ecs } = setup([{ service: "ecs", operation: "DescribeTasks", effect: "serverError", count: 1 }], 3);
    const out = await ecs.send(describeTasks);
    expect(out.$metadata.attempts).toBe(2);
    expect(sim.journal.calls().map((c) => [c.attempt, c.status, c.errorCode, c.fault])).toEqual([
      [1, 500, "ServerException", "serverError"],
      [2, 200, undefined, undefined],
    ]);
  });

  it("drops the connection in-process as ECONNRESET, which the SDK retries", async () => {
    const { sim, ecs } = setup([{ effect: "drop", count: 1 }], 2);
    const out = await ecs.send(describeTasks);
    expect(out.$metadata.attempts).toBe(2);
    expect(sim.journal.calls()[0]).toMatchObject({ status: 0, fault: "drop" });
  });

  it("adds latency in simulated time only", async () => {
    const { sim, ecs } = setup([{ service: "ecs", effect: "latency", latencyMs: 90_000 }]);
    const before = sim.clock.now();
    const started = Date.now();
    const out = await ecs.send(describeTasks);
    expect(out.tasks?.[0]?.createdAt?.getTime()).toBe(before + 90_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each([true, false])(
    "overlaps the latency of 8 concurrent calls: all answered 30 ms later (auto-advance %s)",
    async (autoAdvance) => {
      const clock = new VirtualClock({ autoAdvance });
      const sim = createSimulator({
        world: testWorld({ faults: [{ service: "ecs", effect: "latency", latencyMs: 30 }] }),
        clock,
      });
      const ecs = new ECSClient(simClientConfig(sim));
      const start = clock.now();
      const calls = Array.from({ length: 8 }, (_, i) =>
        ecs.send(new DescribeTasksCommand({ cluster: "c", tasks: [`t${i}`] })),
      );
      const answered = (await Promise.all(calls)).map((out) => out.tasks?.[0]?.createdAt?.getTime());
      expect(answered).toEqual(Array(8).fill(start + 30));
      expect(sim.journal.calls().map((c) => [c.fault, c.status])).toEqual(Array(8).fill(["latency", 200]));
      expect(clock.now()).toBe(start + 30);
    },
  );

  it("answers with an arbitrary modelled error and leaves other operations alone", async () => {
    const rule: FaultRule = {
      service: "ecs",
      operation: "DescribeTasks",
      effect: "error",
      code: "ClusterNotFoundException",
      message: "gone",
    };
    const { sim, ecs } = setup([rule]);
    const err = await ecs.send(describeTasks).catch((e) => e);
    expect(err.name).toBe("ClusterNotFoundException");
    expect(sim.journal.calls()[0]?.params).toEqual({ cluster: "c", tasks: ["a"] });
    const { ListTasksCommand } = await import("@aws-sdk/client-ecs");
    await expect(ecs.send(new ListTasksCommand({}))).resolves.toBeDefined();
  });

  it("rolls rates from the seed: the same seed gives the same faults", () => {
    const outcomes = (seed: number) => {
      const plan = new FaultPlan(seed);
      plan.add([{ effect: "throttle", rate: 0.5 }]);
      return Array.from({ length: 40 }, () => (plan.decide("ecs", "DescribeTasks").failure ? 1 : 0)).join("");
    };
    expect(outcomes(7)).toBe(outcomes(7));
    expect(outcomes(7)).not.toBe(outcomes(8));
    const hits = outcomes(7)
      .split("")
      .filter((c) => c === "1").length;
    expect(hits).toBeGreaterThan(8);
    expect(hits).toBeLessThan(32);
  });

  it("skips the first calls with after", () => {
    const plan = new FaultPlan();
    plan.add([{ effect: "unavailable", after: 2, count: 1 }]);
    const effects = Array.from({ length: 4 }, () => plan.decide("ec2", "DescribeSubnets").failure?.effect ?? "-");
    expect(effects).toEqual(["-", "-", "unavailable", "-"]);
  });

  it.each([
    [{}, "faults: must be a list of fault rules"],
    [[{ effect: "explode" }], "faults[0].effect: must be one of"],
    [[{ effect: "throttle", service: "s3" }], "faults[0].service: must be one of"],
    [[{ effect: "throttle", count: -1 }], "faults[0].count: must be a whole number"],
    [[{ effect: "throttle", rate: 2 }], "faults[0].rate: must be a number from 0 to 1"],
    [[{ effect: "latency" }], "faults[0].latencyMs: required"],
    [[{ effect: "throttle", colour: "red" }], "faults[0].colour: unknown key"],
  ])("rejects the invalid rule %j", (value, message) => {
    expect(() => parseFaultRules(value)).toThrow(message);
  });
});

describe("faults.schema.json", () => {
  it("documents exactly the keys and effects parseFaultRules accepts", async () => {
    const schema = (await import("../../src/sim/faults.schema.json", { with: { type: "json" } })).default;
    const { faultEffects } = await import("../../src/sim/faults.js");
    expect(schema.items.properties.effect.enum).toEqual([...faultEffects]);
    const every = Object.fromEntries(Object.keys(schema.items.properties).map((k) => [k, undefined]));
    expect(() => parseFaultRules([{ ...every, effect: "throttle" }])).not.toThrow();
  });
});
