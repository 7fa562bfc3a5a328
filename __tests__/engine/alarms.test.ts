import { describe, expect, it } from "vitest";
import { type AlarmSeen, judgeAlarms, soakPlan } from "../../src/engine/alarms.js";

const a = (name: string, state: string): AlarmSeen => ({ name, state, reason: `${name} is ${state}` });

describe("judgeAlarms", () => {
  it.each([
    [[a("x", "OK"), a("y", "OK")], "ignore", "ok"],
    [[a("x", "OK"), a("y", "ALARM")], "ignore", "alarm"],
    [[a("x", "INSUFFICIENT_DATA")], "ignore", "ok"],
    [[a("x", "INSUFFICIENT_DATA")], "fail", "insufficient"],
    [[a("x", "INSUFFICIENT_DATA"), a("y", "ALARM")], "fail", "alarm"],
  ] as const)("%j with %s → %s", (alarms, policy, verdict) => {
    expect(judgeAlarms(alarms, policy).verdict).toBe(verdict);
  });

  it("names the alarm that fails, and reports INSUFFICIENT_DATA ones it ignores", () => {
    expect(judgeAlarms([a("x", "OK"), a("y", "ALARM")], "ignore")).toEqual({
      verdict: "alarm",
      alarm: a("y", "ALARM"),
    });
    expect(judgeAlarms([a("x", "INSUFFICIENT_DATA")], "ignore")).toEqual({
      verdict: "ok",
      insufficient: [a("x", "INSUFFICIENT_DATA")],
    });
  });
});

describe("soakPlan", () => {
  const settings = { durationMs: 60_000, alarms: ["web-*", "db"], insufficientData: "ignore" as const };
  it("watches the service's deployment alarms and canary-alarms, once each", () => {
    const plan = soakPlan(settings, "us-east-1", {
      deploymentConfiguration: { alarms: { alarmNames: ["db", "svc"], enable: true, rollback: true } },
    });
    expect(plan?.watched).toEqual(["db", "svc", "web-*"]);
  });
  it("is no soak when the duration is 0", () => {
    expect(soakPlan({ ...settings, durationMs: 0 }, "us-east-1", {})).toBeUndefined();
  });
});
