/**
 * The region's one alarm store: CloudWatch metric alarms by name, as PutMetricAlarm, SetAlarmState and the
 * world's metric behaviours leave them. CloudWatch's API (ops/cloudwatch.ts), metric evaluation (metrics.ts)
 * and ECS deployment alarms all read and change alarms here, so each sees the others' changes. A world file may
 * also give an alarm a trigger (alarm-triggers.ts).
 */
import type { AlarmSpec } from "./spec.js";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface MetricDimension {
  name: string;
  value: string;
}

export interface AlarmRecord {
  name: string;
  arn: string;
  description?: string;
  namespace?: string;
  metricName?: string;
  dimensions: MetricDimension[];
  statistic?: string;
  period?: number;
  evaluationPeriods: number;
  threshold?: number;
  comparisonOperator: string;
  treatMissingData?: string;
  actionsEnabled: boolean;
  state: AlarmState;
  stateReason: string;
  /** ms since the epoch. */
  stateUpdatedTimestamp: number;
  configurationUpdatedTimestamp: number;
  /** From the world file: ALARM after a task of this image is RUNNING. */
  trigger?: AlarmSpec["trigger"];
}

/** What PutMetricAlarm (or a world file) says of an alarm; the state is the store's. */
export type AlarmDefinition = Omit<
  AlarmRecord,
  "arn" | "state" | "stateReason" | "stateUpdatedTimestamp" | "configurationUpdatedTimestamp"
>;

export class AlarmStore {
  private readonly alarms = new Map<string, AlarmRecord>();

  /** `changed` runs after every state change: deployments that watch alarms are looked at again. */
  constructor(
    private readonly arnOf: (name: string) => string,
    private readonly changed: () => void = () => {},
  ) {}

  /** Alarms in name order, as DescribeAlarms lists them. */
  list(): AlarmRecord[] {
    return [...this.alarms.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): AlarmRecord | undefined {
    return this.alarms.get(name);
  }

  /** Creates an alarm in INSUFFICIENT_DATA, or updates one; an update keeps its state, as CloudWatch's does. */
  put(definition: AlarmDefinition, now: number): AlarmRecord {
    const old = this.alarms.get(definition.name);
    const record: AlarmRecord = {
      ...definition,
      arn: this.arnOf(definition.name),
      state: old?.state ?? "INSUFFICIENT_DATA",
      stateReason: old?.stateReason ?? "Unchecked: Initial alarm creation",
      stateUpdatedTimestamp: old?.stateUpdatedTimestamp ?? now,
      configurationUpdatedTimestamp: now,
    };
    this.alarms.set(record.name, record);
    return record;
  }

  /** Moves an alarm to `state`; a move to the state it is in changes nothing. Returns whether it moved. */
  setState(name: string, state: AlarmState, reason: string, at: number): boolean {
    const alarm = this.alarms.get(name);
    if (!alarm || alarm.state === state) return false;
    alarm.state = state;
    alarm.stateReason = reason;
    alarm.stateUpdatedTimestamp = at;
    this.changed();
    return true;
  }

  delete(name: string): boolean {
    return this.alarms.delete(name);
  }

  get size(): number {
    return this.alarms.size;
  }
}

/** An alarm in the world's snapshot, as DescribeAlarms names its fields. */
export function alarmView(alarm: AlarmRecord) {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedTimestamp),
    ActionsEnabled: alarm.actionsEnabled,
  };
}
