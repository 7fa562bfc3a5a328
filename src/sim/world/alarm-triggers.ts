/**
 * Alarms the world moves: a world file's trigger (ALARM some seconds after a task running a given image is
 * RUNNING), the control API, and which of a deployment's alarms are firing. The state itself is in alarms.ts.
 */
import type { AlarmRecord, AlarmState } from "./alarms.js";
import type { WorldState } from "./state.js";

/** The control API's and the world's way to move an alarm: false when there is no such alarm. */
export function setAlarmState(state: WorldState, name: string, to: AlarmState, reason: string, now: number): boolean {
  if (!state.alarms.get(name)) return false;
  state.alarms.setState(name, to, reason, now);
  return true;
}

const imageMatches = (image: string, ref: string) => image === ref || image.endsWith(`/${ref}`);

/** When a triggered alarm fires: after its image's first RUNNING task. */
function fireTimeOf(state: WorldState, alarm: AlarmRecord): number | undefined {
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
  for (const alarm of state.alarms.list()) {
    const at = fireTimeOf(state, alarm);
    if (at === undefined || at > now || !alarm.trigger) continue;
    const reason = alarm.trigger.reason ?? `Threshold Crossed: tasks running ${alarm.trigger.image} breached it.`;
    state.alarms.setState(alarm.name, "ALARM", reason, now);
  }
}

export function nextAlarmEvent(state: WorldState, after: number): number | undefined {
  let next: number | undefined;
  for (const alarm of state.alarms.list()) {
    const at = fireTimeOf(state, alarm);
    if (at !== undefined && at > after && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** The named alarms in ALARM, in the order given. */
export function alarmsFiring(state: WorldState, names: string[]): string[] {
  return names.filter((n) => state.alarms.get(n)?.state === "ALARM");
}
