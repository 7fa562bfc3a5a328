/**
 * The CloudWatch alarms a canary soak is judged by: which (the service's deployment alarms plus canary-alarms),
 * reading them (DescribeAlarms by name and by prefix), and the verdict over what was read, a pure function.
 */
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { Service as ECSService } from "@aws-sdk/client-ecs";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import type { Phase } from "./events.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import type { SoakSettings } from "./settings.js";

type Service = Pick<ECSService, "deploymentConfiguration">;

/** What the soak watches: alarm names and `prefix*` entries. */
export interface SoakPlan extends SoakSettings {
  region: string;
  /** The service's deployment alarms and canary-alarms, without repeats. */
  watched: string[];
}

export interface AlarmSeen {
  name: string;
  state: string;
  reason: string;
  /** ms since the epoch. */
  since?: number;
}

export function soakPlan(soak: SoakSettings | undefined, region: string, service: Service): SoakPlan | undefined {
  if (!soak || soak.durationMs <= 0) return undefined;
  const own = service.deploymentConfiguration?.alarms?.alarmNames ?? [];
  return { ...soak, region, watched: [...new Set([...own, ...soak.alarms])] };
}

const BATCH = 100;

/** Every watched alarm as read now; a name or a prefix that finds no alarm is an error naming it. */
export async function readAlarms(session: Session, phase: Phase, plan: SoakPlan): Promise<AlarmSeen[]> {
  const port = session.aws.cloudwatch;
  if (!port)
    throw new CageError("aws", phase, "This run has no CloudWatch client, which a soak that watches alarms needs.");
  const names = plan.watched.filter((w) => !w.endsWith("*"));
  const prefixes = plan.watched.filter((w) => w.endsWith("*")).map((w) => w.slice(0, -1));
  const found = new Map<string, MetricAlarm>();
  const describe = async (input: { AlarmNames?: string[]; AlarmNamePrefix?: string }) => {
    let token: string | undefined;
    const seen: MetricAlarm[] = [];
    do {
      const page = await callAws(session, phase, "cloudwatch:DescribeAlarms", (signal) =>
        port.describeAlarms({ ...input, ...(token ? { NextToken: token } : {}) }, signal),
      );
      seen.push(...(page.MetricAlarms ?? []));
      token = page.NextToken;
    } while (token);
    for (const alarm of seen) if (alarm.AlarmName) found.set(alarm.AlarmName, alarm);
    return seen;
  };
  for (let i = 0; i < names.length; i += BATCH) await describe({ AlarmNames: names.slice(i, i + BATCH) });
  const emptyPrefixes: string[] = [];
  for (const prefix of prefixes)
    if ((await describe({ AlarmNamePrefix: prefix })).length === 0) emptyPrefixes.push(prefix);
  const missing = [
    ...names.filter((n) => !found.has(n)).map((n) => `'${inert(n)}'`),
    ...emptyPrefixes.map((p) => `'${inert(p)}*'`),
  ];
  if (missing.length > 0) {
    throw new CageError(
      "refused",
      phase,
      `No CloudWatch alarm ${missing.join(", ")} in ${plan.region}: a soak cannot be judged by an alarm that does not exist.`,
      `Fix ${session.naming.input("canary-alarms")} or the service's deploymentConfiguration.alarms, or create the alarm.`,
    );
  }
  return [...found.values()].map((a) => ({
    name: a.AlarmName ?? "",
    state: a.StateValue ?? "INSUFFICIENT_DATA",
    reason: a.StateReason ?? "",
    ...(a.StateUpdatedTimestamp ? { since: a.StateUpdatedTimestamp.getTime() } : {}),
  }));
}

export type AlarmVerdict =
  | { verdict: "ok"; insufficient: AlarmSeen[] }
  | { verdict: "alarm"; alarm: AlarmSeen }
  | { verdict: "insufficient"; alarm: AlarmSeen };

/** ALARM fails; INSUFFICIENT_DATA fails only when the policy says so, and is reported either way. */
export function judgeAlarms(alarms: readonly AlarmSeen[], insufficientData: "ignore" | "fail"): AlarmVerdict {
  const firing = alarms.find((a) => a.state === "ALARM");
  if (firing) return { verdict: "alarm", alarm: firing };
  const insufficient = alarms.filter((a) => a.state === "INSUFFICIENT_DATA");
  if (insufficient[0] && insufficientData === "fail") return { verdict: "insufficient", alarm: insufficient[0] };
  return { verdict: "ok", insufficient };
}

/** The alarm in the console of its region (a host we choose; the name is encoded). */
export function consoleLink(region: string, alarm: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm)}`;
}

/** Preflight: an alarm already in ALARM would make the canary prove nothing, so the rollout is refused. */
export async function refuseFiringAlarms(session: Session, plan: SoakPlan | undefined): Promise<void> {
  if (!plan || plan.watched.length === 0) return;
  const alarms = await readAlarms(session, "preflight", plan);
  for (const a of alarms)
    session.emit({
      type: "alarm-state",
      alarm: a.name,
      state: a.state,
      reason: a.reason,
      ...(a.since ? { since: a.since } : {}),
    });
  const judged = judgeAlarms(alarms, "ignore");
  if (judged.verdict === "alarm") {
    const { name, reason } = judged.alarm;
    throw new CageError(
      "refused",
      "preflight",
      `Alarm '${inert(name)}' is already in ALARM (${inert(reason)}): a canary judged by it would prove nothing, so nothing was started.`,
      `Wait until it is OK, or take it out of ${session.naming.input("canary-alarms")}. Alarm: ${consoleLink(plan.region, name)}`,
    );
  }
}
