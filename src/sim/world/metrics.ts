/**
 * CloudWatch metrics of one region: datapoints sent with PutMetricData, and the levels the world's metric
 * behaviours give while tasks serve (spec.ts MetricBehaviourSpec). Alarms on a metric some behaviour drives are
 * evaluated here: after `evaluationPeriods` whole periods on one side of the threshold, the alarm moves, at
 * that moment exactly. Alarms on other metrics move only by SetAlarmState.
 */
import type { AlarmRecord, AlarmStore, MetricDimension } from "./alarms.js";
import type { Task } from "./records.js";
import type { TargetGroup } from "./records-elb.js";
import type { MetricBehaviourSpec } from "./spec.js";

export interface Datapoint {
  at: number;
  value: number;
}

export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: MetricDimension[];
}

/** One key per metric: dimension order does not matter, as in CloudWatch. */
export function metricKey(m: MetricId): string {
  const dims = [...m.dimensions].sort((a, b) => (a.name < b.name ? -1 : 1)).map((d) => `${d.name}=${d.value}`);
  return `${m.namespace}|${m.metricName}|${dims.join(",")}`;
}

const dimensionsOf = (spec: MetricBehaviourSpec): MetricDimension[] =>
  Object.entries(spec.dimensions ?? {}).map(([name, value]) => ({ name, value }));

/** What metrics.ts needs of the region. */
export interface MetricWorld {
  tasks: Map<string, Task>;
  /** Whether a task is RUNNING at a time (lifecycle.ts knows; passed in to keep this module out of its imports). */
  isRunning(task: Task, now: number): boolean;
  targetGroups: Map<string, TargetGroup>;
  tasksByIp: Map<string, Task>;
}

const S = 1000;

export class MetricStore {
  /** Datapoints sent with PutMetricData, per metric key. */
  private readonly points = new Map<string, Datapoint[]>();
  /** Behaviour levels, each time they changed, per metric key. */
  private readonly history = new Map<string, Datapoint[]>();
  private readonly levels = new Map<string, number>();
  private readonly ids = new Map<string, MetricId>();
  /** Per alarm: since when its metric has been on the side it is on now. */
  private readonly sides = new Map<string, { breaching: boolean; since: number }>();

  put(id: MetricId, points: Datapoint[]): void {
    const key = metricKey(id);
    const list = this.points.get(key) ?? [];
    list.push(...points);
    list.sort((a, b) => a.at - b.at);
    this.points.set(key, list);
  }

  /** Datapoints of a metric in `[start, end)`. */
  between(id: MetricId, start: number, end: number): Datapoint[] {
    return (this.points.get(metricKey(id)) ?? []).filter((p) => p.at >= start && p.at < end);
  }

  /** The behaviour levels a metric had in `[start, end)`: the one in force at `start`, then each change. */
  levelsIn(id: MetricId, start: number, end: number): number[] {
    const changes = this.history.get(metricKey(id)) ?? [];
    const before = changes.filter((p) => p.at <= start).at(-1);
    const during = changes.filter((p) => p.at > start && p.at < end);
    return [...(before ? [before] : []), ...during].map((p) => p.value);
  }

  /** Recomputes behaviour levels at `now`, then moves every alarm whose time has come. */
  step(world: MetricWorld, alarms: AlarmStore, now: number): void {
    const levels = behaviourLevels(world, now);
    for (const [key, id] of this.ids) if (!levels.has(key)) levels.set(key, { id, value: 0 });
    for (const [key, { id, value }] of levels) {
      this.ids.set(key, id);
      if (this.levels.get(key) !== value) {
        this.levels.set(key, value);
        this.history.set(key, [...(this.history.get(key) ?? []), { at: now, value }]);
      }
    }
    for (const alarm of alarms.list()) {
      const key = alarmMetric(alarm);
      if (!key || !this.levels.has(key)) continue;
      const value = levels.get(key)?.value ?? 0;
      const breaching = breaches(alarm, value);
      const side = this.sides.get(alarm.name);
      if (!side || side.breaching !== breaching) this.sides.set(alarm.name, { breaching, since: now });
      const { since } = this.sides.get(alarm.name)!;
      const at = since + (alarm.period ?? 60) * alarm.evaluationPeriods * S;
      const target = breaching ? "ALARM" : "OK";
      if (now >= at && alarm.state !== target) alarms.setState(alarm.name, target, reasonOf(alarm, value, at), at);
    }
  }

  /** The next moment an alarm moves by itself, for the region's agenda. */
  nextChange(alarms: AlarmStore, after: number): number | undefined {
    let next: number | undefined;
    for (const alarm of alarms.list()) {
      const side = this.sides.get(alarm.name);
      if (!side || alarm.state === (side.breaching ? "ALARM" : "OK")) continue;
      const at = side.since + (alarm.period ?? 60) * alarm.evaluationPeriods * S;
      if (at > after && (next === undefined || at < next)) next = at;
    }
    return next;
  }
}

function alarmMetric(alarm: AlarmRecord): string | undefined {
  if (!alarm.namespace || !alarm.metricName) return undefined;
  return metricKey({ namespace: alarm.namespace, metricName: alarm.metricName, dimensions: alarm.dimensions });
}

const OPERATORS: Record<string, [string, (v: number, t: number) => boolean]> = {
  GreaterThanOrEqualToThreshold: ["greater than or equal to", (v, t) => v >= t],
  GreaterThanThreshold: ["greater than", (v, t) => v > t],
  LessThanThreshold: ["less than", (v, t) => v < t],
  LessThanOrEqualToThreshold: ["less than or equal to", (v, t) => v <= t],
};

function breaches(alarm: AlarmRecord, value: number): boolean {
  const op = OPERATORS[alarm.comparisonOperator];
  return op !== undefined && alarm.threshold !== undefined && op[1](value, alarm.threshold);
}

/** CloudWatch's own wording: `Threshold Crossed: 2 out of the last 2 datapoints [5.0 (...)] were greater than ...`. */
function reasonOf(alarm: AlarmRecord, value: number, at: number): string {
  const n = alarm.evaluationPeriods;
  const op = OPERATORS[alarm.comparisonOperator]?.[0] ?? alarm.comparisonOperator;
  const stamp = new Date(at).toISOString().slice(0, 19).replace("T", " ");
  const points = Array.from({ length: n }, () => `${value.toFixed(1)} (${stamp})`).join(", ");
  const crossed = breaches(alarm, value) ? "were" : "were not";
  return `Threshold Crossed: ${n} out of the last ${n} datapoints [${points}] ${crossed} ${op} the threshold (${alarm.threshold?.toFixed(1)}).`;
}

/** Each behaviour-driven metric's level now: the highest value among tasks serving, 0 when none does. */
function behaviourLevels(world: MetricWorld, now: number): Map<string, { id: MetricId; value: number }> {
  const levels = new Map<string, { id: MetricId; value: number }>();
  const tgByName = new Map([...world.targetGroups.values()].map((tg) => [tg.name, tg]));
  for (const task of world.tasks.values()) {
    const running = world.isRunning(task, now);
    for (const spec of task.containers.flatMap((c) => c.behaviour.metrics ?? [])) {
      const id = { namespace: spec.namespace, metricName: spec.metricName, dimensions: dimensionsOf(spec) };
      const key = metricKey(id);
      const tg = spec.targetGroup === undefined ? undefined : tgByName.get(spec.targetGroup);
      const serving = running && (spec.targetGroup === undefined || (tg !== undefined && servesIn(tg, task)));
      const value = Math.max(levels.get(key)?.value ?? 0, serving ? spec.value : 0);
      levels.set(key, { id, value });
    }
  }
  return levels;
}

function servesIn(tg: TargetGroup, task: Task): boolean {
  const ip = task.eni?.ip;
  return tg.registrations.some(
    (r) => r.state === "healthy" && r.deregisteredAt === undefined && (r.id === ip || r.id === task.instanceId),
  );
}
