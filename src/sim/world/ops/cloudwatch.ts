/** CloudWatch: metric alarms (the region's AlarmStore) and metric data (its MetricStore). */
import type * as CW from "@aws-sdk/client-cloudwatch";
import { type OpHandler, SimError } from "../../types.js";
import type { AlarmDefinition, AlarmRecord, AlarmState, AlarmStore, MetricDimension } from "../alarms.js";
import { paginate } from "../common.js";
import { evaluate, parseExpression, type Series } from "../metric-math.js";
import type { MetricId, MetricStore } from "../metrics.js";

const STATES = new Set<string>(["OK", "ALARM", "INSUFFICIENT_DATA"]);
const STATISTICS = new Set(["Average", "Sum", "Minimum", "Maximum", "SampleCount"]);
const OPERATORS = new Set([
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
]);

const invalid = (message: string) => new SimError("InvalidParameterValue", message);
const missing = (name: string) => new SimError("MissingParameter", `The parameter ${name} is required.`);
const notFound = (message: string) => new SimError("ResourceNotFound", message, 404);

const dims = (d: CW.Dimension[] | undefined): MetricDimension[] =>
  (d ?? []).map((x) => ({ name: x.Name ?? "", value: x.Value ?? "" }));
const wireDims = (d: MetricDimension[]): CW.Dimension[] => d.map((x) => ({ Name: x.name, Value: x.value }));

export function metricAlarmView(a: AlarmRecord): CW.MetricAlarm {
  return {
    AlarmName: a.name,
    AlarmArn: a.arn,
    AlarmDescription: a.description,
    AlarmConfigurationUpdatedTimestamp: new Date(a.configurationUpdatedTimestamp),
    ActionsEnabled: a.actionsEnabled,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: a.state,
    StateReason: a.stateReason,
    StateUpdatedTimestamp: new Date(a.stateUpdatedTimestamp),
    StateTransitionedTimestamp: new Date(a.stateUpdatedTimestamp),
    MetricName: a.metricName,
    Namespace: a.namespace,
    Statistic: a.statistic as CW.Statistic | undefined,
    Dimensions: wireDims(a.dimensions),
    Period: a.period,
    EvaluationPeriods: a.evaluationPeriods,
    Threshold: a.threshold,
    ComparisonOperator: a.comparisonOperator as CW.ComparisonOperator,
    TreatMissingData: a.treatMissingData,
  };
}

function definitionOf(input: CW.PutMetricAlarmInput): AlarmDefinition {
  const name = input.AlarmName ?? "";
  if (name === "" || name.length > 255) throw invalid("AlarmName must be 1 to 255 characters.");
  if (input.EvaluationPeriods === undefined) throw missing("EvaluationPeriods");
  if (input.EvaluationPeriods < 1) throw invalid("EvaluationPeriods must be at least 1.");
  if (input.ComparisonOperator === undefined) throw missing("ComparisonOperator");
  if (!OPERATORS.has(input.ComparisonOperator)) {
    throw invalid(`ComparisonOperator must be one of ${[...OPERATORS].join(", ")}.`);
  }
  if (input.Metrics === undefined) {
    if (!input.MetricName || !input.Namespace) throw missing(input.MetricName ? "Namespace" : "MetricName");
    if (input.Statistic === undefined && input.ExtendedStatistic === undefined) throw missing("Statistic");
    if (input.Statistic !== undefined && !STATISTICS.has(input.Statistic)) throw invalid("Statistic is not valid.");
    if (input.Period === undefined) throw missing("Period");
    if (input.Period < 10 || (input.Period > 30 && input.Period % 60 !== 0)) {
      throw invalid("Period must be 10, 20, 30 or a multiple of 60.");
    }
  }
  return {
    name,
    description: input.AlarmDescription,
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: dims(input.Dimensions),
    statistic: input.Statistic,
    period: input.Period,
    evaluationPeriods: input.EvaluationPeriods,
    threshold: input.Threshold,
    comparisonOperator: input.ComparisonOperator,
    treatMissingData: input.TreatMissingData,
    actionsEnabled: input.ActionsEnabled ?? true,
  };
}

function describeAlarms(alarms: AlarmStore, input: CW.DescribeAlarmsInput): CW.DescribeAlarmsOutput {
  const names = input.AlarmNames;
  if (names && input.AlarmNamePrefix !== undefined) {
    throw invalid("AlarmNames and AlarmNamePrefix cannot be specified together.");
  }
  if (names && names.length > 100) throw invalid("AlarmNames may name at most 100 alarms.");
  if (input.StateValue !== undefined && !STATES.has(input.StateValue)) throw invalid("StateValue is not valid.");
  const max = input.MaxRecords;
  if (max !== undefined && (max < 1 || max > 100)) throw invalid("MaxRecords must be between 1 and 100.");
  const types = input.AlarmTypes ?? ["MetricAlarm"];
  const matching = alarms
    .list()
    .filter((a) => !names || names.includes(a.name))
    .filter((a) => input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix))
    .filter((a) => input.StateValue === undefined || a.state === input.StateValue);
  const { page, nextToken } = paginate(types.includes("MetricAlarm") ? matching : [], input.NextToken, max, 50);
  return { MetricAlarms: page.map(metricAlarmView), CompositeAlarms: [], NextToken: nextToken };
}

function setAlarmState(alarms: AlarmStore, input: CW.SetAlarmStateInput, now: number): Record<string, never> {
  const name = input.AlarmName ?? "";
  if (!alarms.get(name)) throw notFound(`Alarm ${name} not found`);
  if (!STATES.has(input.StateValue ?? "")) throw invalid("StateValue must be OK, ALARM or INSUFFICIENT_DATA.");
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw invalid("StateReasonData is not valid JSON.");
    }
  }
  alarms.setState(name, input.StateValue as AlarmState, input.StateReason ?? "", now);
  return {};
}

function deleteAlarms(alarms: AlarmStore, input: CW.DeleteAlarmsInput): Record<string, never> {
  const names = input.AlarmNames ?? [];
  if (names.length > 100) throw invalid("AlarmNames may name at most 100 alarms.");
  const unknown = names.filter((n) => !alarms.get(n));
  if (unknown.length > 0) throw notFound(`${unknown.length} alarm(s) not found: ${unknown.join(", ")}`);
  for (const n of names) alarms.delete(n);
  return {};
}

function putMetricData(metrics: MetricStore, input: CW.PutMetricDataInput, now: number): Record<string, never> {
  const namespace = input.Namespace ?? "";
  if (namespace === "" || namespace.startsWith("AWS/")) {
    throw invalid("The value AWS/ for parameter Namespace is invalid: it is reserved for AWS services.");
  }
  const data = input.MetricData ?? [];
  if (data.length > 1000) throw invalid("MetricData may hold at most 1000 datums.");
  for (const d of data) {
    const id: MetricId = { namespace, metricName: d.MetricName ?? "", dimensions: dims(d.Dimensions) };
    const at = d.Timestamp ? d.Timestamp.getTime() : now;
    const values = d.Values ?? (d.Value !== undefined ? [d.Value] : []);
    const counts = d.Counts ?? values.map(() => 1);
    const points = values.flatMap((value, i) => Array.from({ length: counts[i] ?? 1 }, () => ({ at, value })));
    if (d.StatisticValues) points.push({ at, value: d.StatisticValues.Sum! / (d.StatisticValues.SampleCount || 1) });
    metrics.put(id, points);
  }
  return {};
}

const STATS: Record<string, (v: number[]) => number> = {
  Average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  Sum: (v) => v.reduce((a, b) => a + b, 0),
  Minimum: (v) => Math.min(...v),
  Maximum: (v) => Math.max(...v),
  SampleCount: (v) => v.length,
};

function getMetricData(metrics: MetricStore, input: CW.GetMetricDataInput): CW.GetMetricDataOutput {
  const start = input.StartTime?.getTime() ?? 0;
  const end = input.EndTime?.getTime() ?? 0;
  if (end <= start) throw invalid("The parameter EndTime must be greater than StartTime.");
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0 || queries.length > 500) throw invalid("MetricDataQueries must hold 1 to 500 queries.");
  for (const q of queries)
    if (!q.MetricStat === !q.Expression) throw invalid(`Query ${q.Id}: give exactly one of MetricStat and Expression.`);
  const byId = new Map(queries.map((q) => [q.Id ?? "", q]));
  const computed = new Map<string, Series>();
  const computing = new Set<string>();
  const seriesOf = (id: string): Series => {
    const done = computed.get(id);
    if (done) return done;
    const q = byId.get(id);
    if (!q) throw new SimError("ValidationError", `Error in expression: Unrecognized metric id '${id}'.`);
    if (computing.has(id)) throw new SimError("ValidationError", `Error in expression '${id}': circular reference.`);
    computing.add(id);
    const series = q.Expression
      ? evaluate(parseExpression(q.Expression, id), seriesOf, id)
      : statSeries(metrics, q, start, end);
    computing.delete(id);
    computed.set(id, series);
    return series;
  };
  const results = queries.map((q): CW.MetricDataResult => {
    // Newest first, as CloudWatch's default ScanBy TimestampDescending gives them.
    const points = [...seriesOf(q.Id ?? "")].sort((a, b) => b[0] - a[0]);
    if (input.ScanBy === "TimestampAscending") points.reverse();
    return {
      Id: q.Id,
      Label: q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id,
      Timestamps: points.map(([t]) => new Date(t)),
      Values: points.map(([, v]) => v),
      StatusCode: "Complete",
    };
  });
  return { MetricDataResults: results.filter((_r, i) => queries[i]?.ReturnData !== false), Messages: [] };
}

/** A MetricStat query's datapoints, one per period that has data. */
function statSeries(metrics: MetricStore, q: CW.MetricDataQuery, start: number, end: number): Series {
  const stat = q.MetricStat as CW.MetricStat;
  const reduce = STATS[stat.Stat ?? ""];
  if (!reduce) throw invalid(`Query ${q.Id}: Stat must be one of ${Object.keys(STATS).join(", ")}.`);
  const period = (stat.Period ?? 60) * 1000;
  const id = {
    namespace: stat.Metric?.Namespace ?? "",
    metricName: stat.Metric?.MetricName ?? "",
    dimensions: dims(stat.Metric?.Dimensions),
  };
  const series: Series = new Map();
  for (let t = start - (start % period); t < end; t += period) {
    const inPeriod = metrics.between(id, t, t + period).map((p) => p.value);
    const level = inPeriod.length > 0 ? inPeriod : metrics.levelsIn(id, t, t + period);
    if (level.length > 0) series.set(t, reduce(level));
  }
  return series;
}

export function cloudwatchOps(alarms: AlarmStore, metrics: MetricStore, now: () => number): Record<string, OpHandler> {
  return {
    DescribeAlarms: (input: CW.DescribeAlarmsInput) => describeAlarms(alarms, input),
    PutMetricAlarm: (input: CW.PutMetricAlarmInput) => {
      alarms.put(definitionOf(input), now());
      return {};
    },
    SetAlarmState: (input: CW.SetAlarmStateInput) => setAlarmState(alarms, input, now()),
    DeleteAlarms: (input: CW.DeleteAlarmsInput) => deleteAlarms(alarms, input),
    PutMetricData: (input: CW.PutMetricDataInput) => putMetricData(metrics, input, now()),
    GetMetricData: (input: CW.GetMetricDataInput) => getMetricData(metrics, input),
  };
}
