/** CloudWatch in the world: the alarm store, metric behaviours moving alarms, metric data. */
import { describe, expect, it } from "vitest";
import { Harness, T0, TG_ARN } from "./harness.js";

const TG_DIM = "targetgroup/web-tg/6d0ecf831eec9f09";
const FIVE_XX = {
  Namespace: "AWS/ApplicationELB",
  MetricName: "HTTPCode_Target_5XX_Count",
  Dimensions: [
    { Name: "TargetGroup", Value: TG_DIM },
    { Name: "LoadBalancer", Value: "app/web-alb/50dc6c495c0c9188" },
  ],
};

function alarm(h: Harness, name = "web-5xx") {
  return h.call("cloudwatch", "DescribeAlarms", { AlarmNames: [name] }).MetricAlarms[0];
}

/** Runs a web:v2 canary and registers it in web-tg; returns the time it was registered. */
function serveCanary(h: Harness): number {
  const td = h.registerWeb("v2");
  const arn = h.runCanary(td).tasks[0].taskArn;
  h.advance(40);
  const ip = h.ipOf(h.task(arn));
  h.call("elbv2", "RegisterTargets", { TargetGroupArn: TG_ARN, Targets: [{ Id: ip, Port: 8080 }] });
  const registeredAt = h.time;
  for (let i = 0; i < 12 && h.health(ip).State !== "healthy"; i++) h.advance(5);
  expect(h.health(ip).State).toBe("healthy");
  return registeredAt;
}

describe("CloudWatch alarms in the world", () => {
  it("loads the world file's alarm in OK, with its metric and threshold", () => {
    const a = alarm(Harness.demo());
    expect(a).toMatchObject({
      AlarmName: "web-5xx",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx",
      StateValue: "OK",
      MetricName: "HTTPCode_Target_5XX_Count",
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(a.StateUpdatedTimestamp).toEqual(new Date(T0));
  });

  it("soak-5xx: the alarm goes to ALARM one period after a web:v2 task turns healthy in web-tg, not before", () => {
    const h = Harness.demo("soak-5xx");
    serveCanary(h);
    const healthyAt = h.time;
    expect(alarm(h).StateValue).toBe("OK");
    h.advance(50);
    expect(alarm(h).StateValue).toBe("OK");
    h.advance(15);
    const a = alarm(h);
    expect(a.StateValue).toBe("ALARM");
    expect(a.StateReason).toMatch(
      /^Threshold Crossed: 1 out of the last 1 datapoints \[40\.0 .*greater than the threshold \(10\.0\)/,
    );
    // It moved when the period ended (the canary was healthy at some moment of the last 5 s poll step).
    const moved = a.StateUpdatedTimestamp.getTime();
    expect(moved).toBeGreaterThan(healthyAt - 5_000 + 60_000 - 1);
    expect(moved).toBeLessThanOrEqual(healthyAt + 60_000);
  });

  it("the same canary in the base world (web:v2 drives no metric) leaves the alarm OK", () => {
    const h = Harness.demo();
    serveCanary(h);
    h.advance(300);
    expect(alarm(h).StateValue).toBe("OK");
  });

  it("soak-5xx: the alarm returns to OK one period after the canary stops serving", () => {
    const h = Harness.demo("soak-5xx");
    serveCanary(h);
    h.advance(70);
    expect(alarm(h).StateValue).toBe("ALARM");
    for (const d of h.call("elbv2", "DescribeTargetHealth", { TargetGroupArn: TG_ARN }).TargetHealthDescriptions) {
      h.call("elbv2", "DeregisterTargets", { TargetGroupArn: TG_ARN, Targets: [d.Target] });
    }
    h.advance(61);
    expect(alarm(h).StateValue).toBe("OK");
  });

  it("soak-alarm-already: the alarm is in ALARM at load, with the world's reason", () => {
    const a = alarm(Harness.demo("soak-alarm-already"));
    expect(a.StateValue).toBe("ALARM");
    expect(a.StateReason).toMatch(/^Threshold Crossed/);
  });

  it("GetMetricData reads the behaviour's level per period, and PutMetricData's points", () => {
    const h = Harness.demo("soak-5xx");
    serveCanary(h);
    h.advance(180);
    const out = h.call("cloudwatch", "GetMetricData", {
      StartTime: new Date(T0),
      EndTime: new Date(h.time),
      MetricDataQueries: [{ Id: "m", MetricStat: { Metric: FIVE_XX, Period: 60, Stat: "Maximum" } }],
    });
    const values: number[] = out.MetricDataResults[0].Values;
    expect(values[0]).toBe(40);
    expect(values.at(-1)).toBe(0);

    h.call("cloudwatch", "PutMetricData", {
      Namespace: "MyApp",
      MetricData: [{ MetricName: "Errors", Value: 3, Timestamp: new Date(h.time - 1000) }],
    });
    const mine = h.call("cloudwatch", "GetMetricData", {
      StartTime: new Date(h.time - 60_000),
      EndTime: new Date(h.time + 60_000),
      MetricDataQueries: [
        { Id: "e", MetricStat: { Metric: { Namespace: "MyApp", MetricName: "Errors" }, Period: 60, Stat: "Sum" } },
      ],
    });
    expect(mine.MetricDataResults[0].Values).toEqual([3]);
  });

  it("PutMetricAlarm, SetAlarmState and DeleteAlarms change the one store DescribeAlarms reads", () => {
    const h = Harness.demo();
    h.call("cloudwatch", "PutMetricAlarm", {
      AlarmName: "web-latency",
      Namespace: "AWS/ApplicationELB",
      MetricName: "TargetResponseTime",
      Statistic: "Average",
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 0.5,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm(h, "web-latency").StateValue).toBe("INSUFFICIENT_DATA");
    h.call("cloudwatch", "SetAlarmState", { AlarmName: "web-latency", StateValue: "ALARM", StateReason: "by hand" });
    const names = (q: object) => h.call("cloudwatch", "DescribeAlarms", q).MetricAlarms.map((a: any) => a.AlarmName);
    expect(names({ StateValue: "ALARM" })).toEqual(["web-latency"]);
    expect(names({ AlarmNamePrefix: "web-" })).toEqual(["web-5xx", "web-latency"]);
    h.call("cloudwatch", "DeleteAlarms", { AlarmNames: ["web-latency"] });
    expect(names({})).toEqual(["web-5xx"]);
    expect(() =>
      h.call("cloudwatch", "SetAlarmState", { AlarmName: "web-latency", StateValue: "OK", StateReason: "x" }),
    ).toThrow(/Alarm web-latency not found/);
  });
});
