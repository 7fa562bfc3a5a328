/**
 * CloudWatch alarms of the world: the one place their state lives, so deployment alarms and a later CloudWatch
 * endpoint see the same alarms. A world file names them with a start state and, optionally, a trigger: the alarm
 * goes to ALARM some seconds after a task running a given image is RUNNING. The control API sets state too.
 */
import type { AlarmSpec } from "./spec.js";
import type { Alarm, AlarmState, WorldState } from "./state.js";

export type { AlarmState };

export function addAlarm(state: WorldState, spec: AlarmSpec, now: number): Alarm {
  const alarm: Alarm = {
    name: spec.name,
    arn: `arn:aws:cloudwatch:${state.region}:${state.accountId}:alarm:${spec.name}`,
    state: spec.state ?? "OK",
    reason: "Alarm declared by the world file.",
    updatedAt: now,
    ...(spec.trigger ? { trigger: spec.trigger } : {}),
    history: [],
  };
  state.alarms.set(alarm.name, alarm);
  return alarm;
}

/** Changes an alarm's state; the scheduler looks at every service again, as a deployment may watch it. */
export function setAlarmState(state: WorldState, name: string, to: AlarmState, reason: string, now: number): boolean {
  const alarm = state.alarms.get(name);
  if (!alarm) return false;
  if (alarm.state === to) return true;
  alarm.history.push({ at: now, from: alarm.state, to, reason });
  alarm.state = to;
  alarm.reason = reason;
  alarm.updatedAt = now;
  state.agenda.everything(state.services.keys());
  return true;
}

const imageMatches = (image: string, ref: string) => image === ref || image.endsWith(`/${ref}`);

/** When each triggered alarm fires: after its image's first RUNNING task. */
function fireTimeOf(state: WorldState, alarm: Alarm): number | undefined {
  const trigger = alarm.trigger;
  if (!trigger || alarm.state === "ALARM") return undefined;
  let first: number | undefined;
  for (const task of state.tasks.values()) {
    if (task.runningAt === undefined) continue;
    if (!task.containers.some((c) => imageMatches(c.image, trigger.image))) continue;
    if (first === undefined || task.runningAt < first) first = task.runningAt;
  }
  return first === undefined ? undefined : first + (trigger.afterSeconds ?? 0) * 1000;
}

/** Fires the alarms whose trigger is due at `now`. */
export function evaluateAlarms(state: WorldState, now: number): void {
  for (const alarm of state.alarms.values()) {
    const at = fireTimeOf(state, alarm);
    if (at === undefined || at > now) continue;
    const reason = alarm.trigger?.reason ?? `Threshold Crossed: tasks running ${alarm.trigger!.image} breached it.`;
    setAlarmState(state, alarm.name, "ALARM", reason, now);
  }
}

export function nextAlarmEvent(state: WorldState, after: number): number | undefined {
  let next: number | undefined;
  for (const alarm of state.alarms.values()) {
    const at = fireTimeOf(state, alarm);
    if (at !== undefined && at > after && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** The named alarms in ALARM, in the order given. */
export function alarmsFiring(state: WorldState, names: string[]): string[] {
  return names.filter((n) => state.alarms.get(n)?.state === "ALARM");
}

/** As CloudWatch's DescribeAlarms shows a metric alarm (the fields a deployment reader needs). */
export function alarmView(alarm: Alarm) {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    StateValue: alarm.state,
    StateReason: alarm.reason,
    StateUpdatedTimestamp: new Date(alarm.updatedAt),
    ActionsEnabled: true,
  };
}
