/** What kind of service cage is about to roll out, and which kinds it refuses before anything changes. */
import type { Service } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { classifyService, refusalOf } from "../../src/engine/classify.js";

const rolling: Service = { serviceName: "web", deploymentController: { type: "ECS" } };

describe("classifyService", () => {
  it("reads an absent controller as ECS and an absent strategy as ROLLING, as ECS does", () => {
    expect(classifyService({ serviceName: "web" })).toEqual({
      controller: "ECS",
      strategy: "ROLLING",
      express: false,
      hooks: 0,
      bakeMinutes: 0,
      alarms: [],
    });
  });

  it("reads the strategy, hooks, bake time and the alarms ECS watches", () => {
    const c = classifyService({
      ...rolling,
      deploymentConfiguration: {
        strategy: "LINEAR",
        bakeTimeInMinutes: 15,
        lifecycleHooks: [{ hookTargetArn: "arn:aws:lambda:us-east-1:123456789012:function:check" }],
        alarms: { enable: true, rollback: true, alarmNames: ["web-5xx"] },
      },
    });
    expect([c.strategy, c.bakeMinutes, c.hooks, c.alarms]).toEqual(["LINEAR", 15, 1, ["web-5xx"]]);
  });

  it("counts no alarm that ECS does not watch", () => {
    const c = classifyService({
      ...rolling,
      deploymentConfiguration: { alarms: { enable: false, rollback: false, alarmNames: ["a"] } },
    });
    expect(c.alarms).toEqual([]);
  });
});

describe("refusalOf", () => {
  it.each(["ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"] as const)(
    "lets a %s service deployed by ECS through (its placement is checked against the listener rule later)",
    (strategy) => {
      expect(refusalOf("web", classifyService({ ...rolling, deploymentConfiguration: { strategy } }))).toBeUndefined();
    },
  );

  it.each([
    [{ deploymentController: { type: "CODE_DEPLOY" } }, "uses the CODE_DEPLOY deployment controller"],
    [{ deploymentController: { type: "EXTERNAL" } }, "uses the EXTERNAL deployment controller"],
    [{ resourceManagementType: "ECS" }, "is an ECS Express service"],
  ] as [Partial<Service>, string][])("refuses %j in preflight: %s", (fields, what) => {
    const refusal = refusalOf("web", classifyService({ ...rolling, ...fields }));
    expect(refusal?.kind).toBe("refused");
    expect(refusal?.phase).toBe("preflight");
    expect(refusal?.what).toContain(`Service 'web' ${what}`);
    expect(refusal?.fix).toBeTruthy();
  });
});
