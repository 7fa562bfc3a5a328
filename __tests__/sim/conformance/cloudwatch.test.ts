/**
 * CloudWatch over HTTP in each wire it is spoken: botocore and the AWS CLI send RPC v2 CBOR, the JS SDK awsJson1_0
 * (awsQuery-compatible errors), older clients awsQuery forms. All read and change the same alarms.
 */

import { fileURLToPath } from "node:url";
import { CloudWatchClient, DescribeAlarmsCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

const worldFile = fileURLToPath(new URL("../../../deploy-example/world.json", import.meta.url));
const note = hasBoto3 && hasAwsCli ? "" : " (skipped: boto3 or the aws CLI is not installed)";

describe.skipIf(!hasBoto3 || !hasAwsCli)(`CloudWatch against cage sim serve${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile: `${worldFile}#soak-alarm-already`, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());
  const cli = (...args: string[]) => awsCli(running.url, args);

  it("boto3 (RPC v2 CBOR): put, describe by name and prefix, set state, delete; a missing alarm is ResourceNotFound", async () => {
    const out = await boto(running.url, [
      {
        service: "cloudwatch",
        op: "put_metric_alarm",
        params: {
          AlarmName: "boto-alarm",
          Namespace: "MyApp",
          MetricName: "Errors",
          Statistic: "Sum",
          Period: 60,
          EvaluationPeriods: 2,
          Threshold: 5,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
        },
      },
      { service: "cloudwatch", op: "describe_alarms", params: { AlarmNames: ["boto-alarm"] } },
      {
        service: "cloudwatch",
        op: "set_alarm_state",
        params: { AlarmName: "boto-alarm", StateValue: "ALARM", StateReason: "test" },
      },
      { service: "cloudwatch", op: "describe_alarms", params: { StateValue: "ALARM" } },
      { service: "cloudwatch", op: "delete_alarms", params: { AlarmNames: ["boto-alarm"] } },
      {
        service: "cloudwatch",
        op: "set_alarm_state",
        params: { AlarmName: "boto-alarm", StateValue: "OK", StateReason: "x" },
      },
      {
        service: "cloudwatch",
        op: "put_metric_alarm",
        params: {
          AlarmName: "no-period",
          Namespace: "MyApp",
          MetricName: "E",
          Statistic: "Sum",
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanThreshold",
        },
      },
    ]);
    const [put, described, set, inAlarm, deleted, missing, invalid] = out as any[];
    expect(put.result).toEqual({});
    expect(described.result.MetricAlarms).toHaveLength(1);
    expect(described.result.MetricAlarms[0]).toMatchObject({
      AlarmName: "boto-alarm",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:boto-alarm",
      StateValue: "INSUFFICIENT_DATA",
      Threshold: 5,
      StateUpdatedTimestamp: { $type: "datetime" },
    });
    expect(set.result).toEqual({});
    expect(inAlarm.result.MetricAlarms.map((a: any) => a.AlarmName).sort()).toEqual(["boto-alarm", "web-5xx"]);
    expect(deleted.result).toEqual({});
    expect(missing.error).toMatchObject({ code: "ResourceNotFound", status: 404 });
    expect(missing.error.message).toContain("boto-alarm");
    expect(invalid.error).toMatchObject({ code: "MissingParameter", status: 400 });
  });

  it("boto3: PutMetricData then GetMetricData gives the sums per period, newest first", async () => {
    const at = Date.parse("2026-01-01T00:00:30Z") / 1000;
    const [put, got] = (await boto(running.url, [
      {
        service: "cloudwatch",
        op: "put_metric_data",
        params: {
          Namespace: "MyApp",
          MetricData: [
            { MetricName: "Requests", Value: 2, Timestamp: at },
            { MetricName: "Requests", Value: 3, Timestamp: at + 10 },
            { MetricName: "Requests", Value: 7, Timestamp: at + 60 },
          ],
        },
      },
      {
        service: "cloudwatch",
        op: "get_metric_data",
        params: {
          StartTime: at - 30,
          EndTime: at + 90,
          MetricDataQueries: [
            {
              Id: "r",
              MetricStat: { Metric: { Namespace: "MyApp", MetricName: "Requests" }, Period: 60, Stat: "Sum" },
            },
          ],
        },
      },
    ])) as any[];
    expect(put.result).toEqual({});
    expect(got.result.MetricDataResults[0]).toMatchObject({ Id: "r", Values: [7, 5], StatusCode: "Complete" });
  });

  it("boto3: GetMetricData with metric math (errors / requests) returns the ratio per period; hidden queries are left out", async () => {
    const at = Date.parse("2026-01-02T00:00:00Z") / 1000;
    const stat = (MetricName: string) => ({ Metric: { Namespace: "MathApp", MetricName }, Period: 60, Stat: "Sum" });
    const [, got, bad] = (await boto(running.url, [
      {
        service: "cloudwatch",
        op: "put_metric_data",
        params: {
          Namespace: "MathApp",
          MetricData: [
            { MetricName: "Errors", Value: 1, Timestamp: at },
            { MetricName: "Requests", Value: 50, Timestamp: at },
            { MetricName: "Errors", Value: 3, Timestamp: at + 60 },
            { MetricName: "Requests", Value: 100, Timestamp: at + 60 },
          ],
        },
      },
      {
        service: "cloudwatch",
        op: "get_metric_data",
        params: {
          StartTime: at,
          EndTime: at + 120,
          MetricDataQueries: [
            { Id: "rate", Expression: "(errors * 100) / requests" },
            { Id: "errors", MetricStat: stat("Errors"), ReturnData: false },
            { Id: "requests", MetricStat: stat("Requests"), ReturnData: false },
          ],
        },
      },
      {
        service: "cloudwatch",
        op: "get_metric_data",
        params: {
          StartTime: at,
          EndTime: at + 120,
          MetricDataQueries: [{ Id: "rate", Expression: "nope / 2" }],
        },
      },
    ])) as any[];
    expect(got.result.MetricDataResults).toHaveLength(1);
    expect(got.result.MetricDataResults[0]).toMatchObject({ Id: "rate", Values: [3, 2], StatusCode: "Complete" });
    expect(bad.error?.code ?? JSON.stringify(bad)).toBe("ValidationError");
  });

  it("the AWS CLI describes the world's alarm in ALARM and sets it back to OK", async () => {
    const before = await cli("cloudwatch", "describe-alarms", "--alarm-names", "web-5xx");
    expect(before.code).toBe(0);
    expect(before.json.MetricAlarms[0]).toMatchObject({ AlarmName: "web-5xx", StateValue: "ALARM" });
    const set = await cli(
      "cloudwatch",
      "set-alarm-state",
      "--alarm-name",
      "web-5xx",
      "--state-value",
      "OK",
      "--state-reason",
      "fixed",
    );
    expect(set.code).toBe(0);
    const after = await cli("cloudwatch", "describe-alarms", "--state-value", "OK");
    expect(after.json.MetricAlarms.map((a: any) => [a.AlarmName, a.StateReason])).toEqual([["web-5xx", "fixed"]]);
    const missing = await cli("cloudwatch", "delete-alarms", "--alarm-names", "nope");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("ResourceNotFound");
  });

  it("the JS SDK (awsJson1_0) and an awsQuery form see the same store; the SDK reads query-compatible error codes", async () => {
    const client = new CloudWatchClient({
      region: "us-east-1",
      endpoint: running.url,
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
      maxAttempts: 1,
    });
    await client.send(
      new SetAlarmStateCommand({ AlarmName: "web-5xx", StateValue: "ALARM", StateReason: "from the SDK" }),
    );
    const out = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "web-" }));
    expect(out.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.StateReason])).toEqual([
      ["web-5xx", "ALARM", "from the SDK"],
    ]);
    expect(out.MetricAlarms?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    const error = await client
      .send(new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "OK", StateReason: "x" }))
      .catch((e: Error) => e);
    expect(error).toMatchObject({ name: "ResourceNotFound", $metadata: { httpStatusCode: 404 } });

    const form = await fetch(running.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=web-5xx",
    });
    const xml = await form.text();
    expect(form.status).toBe(200);
    expect(xml).toContain("<DescribeAlarmsResponse");
    expect(xml).toMatch(/<AlarmName>web-5xx<\/AlarmName>/);
    expect(xml).toMatch(/<StateValue>ALARM<\/StateValue>/);
  });
});
