/**
 * The canary soak: once healthy in every target group (or idle, without load balancers), the canary stays
 * registered and takes its share of traffic for the soak's duration while the watched alarms are read. An alarm
 * in ALARM fails the canary at the next look (every ALARM_POLL_MS); so does one already in ALARM at the start.
 * Metric checks (canary-metrics) are measured meanwhile, each at its own interval.
 */
import { formatDuration } from "../shared/duration.js";
import { inert } from "../shared/inert.js";
import { type AlarmSeen, consoleLink, judgeAlarms, readAlarms, type SoakPlan } from "./alarms.js";
import { assertAlive, type Evaluation } from "./canary.js";
import { MetricWatch } from "./canary-metrics.js";
import { CageError } from "./errors.js";
import { waitFor } from "./polling.js";
import { ChangeLog, inPhase, type Session } from "./session.js";

/** Alarms are read this often during a soak: a state change is seen within 2 s. */
export const ALARM_POLL_MS = 2_000;

export async function soakCanary(session: Session, evaluation: Evaluation, plan: SoakPlan | undefined): Promise<void> {
  if (!plan) {
    session.emit({ type: "phase-started", phase: "canary-soak" });
    session.emit({ type: "phase-finished", phase: "canary-soak", outcome: "skipped", detail: "soak duration is 0" });
    return;
  }
  const { durationMs } = plan;
  const metrics = plan.metrics ?? [];
  const watching = [
    plan.watched.length > 0 ? `watching ${plan.watched.map(inert).join(", ")}` : "no alarms watched",
    ...(metrics.length > 0 ? [`measuring ${metrics.map((m) => `'${inert(m.name)}'`).join(", ")}`] : []),
  ].join("; ");
  const start = session.clock.now();
  const measures = new MetricWatch(session, metrics, start);
  const log = new ChangeLog(session);
  const reported = new Set<string>();
  let first = true;
  await inPhase(session, "canary-soak", `taking traffic for ${formatDuration(durationMs)}; ${watching}`, () =>
    waitFor(session, {
      phase: "canary-soak",
      waitingFor: `the canary to soak for ${formatDuration(durationMs)}`,
      timeout: durationMs + 60_000,
      setBy: { derived: "the soak duration and a minute" },
      interval: () => ALARM_POLL_MS,
      check: async () => {
        const task = await evaluation.watch.refresh("canary-soak");
        if (task) assertAlive(task, evaluation, "canary-soak");
        if (plan.watched.length > 0) {
          const alarms = await readAlarms(session, "canary-soak", plan);
          for (const a of alarms)
            log.emit(a.name, {
              type: "alarm-state",
              alarm: a.name,
              state: a.state,
              reason: a.reason,
              ...(a.since ? { since: a.since } : {}),
            });
          judge(session, plan, alarms, first, reported);
        }
        first = false;
        await measures.measureDue("canary-soak");
        const now = session.clock.now();
        const left = durationMs - (now - start);
        if (left <= 0) {
          measures.reportInconclusive();
          return { done: true, value: undefined };
        }
        const next = Math.min(ALARM_POLL_MS, left, measures.nextIn(now) ?? ALARM_POLL_MS);
        return { done: false, seen: "no watched alarm in ALARM and no metric check failed", next };
      },
    }),
  );
}

function judge(session: Session, plan: SoakPlan, alarms: AlarmSeen[], first: boolean, reported: Set<string>): void {
  const judged = judgeAlarms(alarms, plan.insufficientData);
  if (judged.verdict === "alarm") {
    const { name, reason } = judged.alarm;
    const when = first ? "was already in ALARM when the soak began" : "went to ALARM during the canary soak";
    throw new CageError(
      "canary-failed",
      "canary-soak",
      `Alarm '${inert(name)}' ${when}: ${inert(reason)}`,
      `The canary was judged by it under real traffic; read the alarm's metric for the new task definition. Alarm: ${consoleLink(plan.region, name)}`,
    );
  }
  if (judged.verdict === "insufficient") {
    throw new CageError(
      "canary-failed",
      "canary-soak",
      `Alarm '${inert(judged.alarm.name)}' has INSUFFICIENT_DATA during the canary soak, and ${session.naming.input("canary-alarms-insufficient")} is fail.`,
      `Make sure its metric is published while the canary serves, or set ${session.naming.input("canary-alarms-insufficient")} to ignore.`,
    );
  }
  for (const a of judged.insufficient) {
    if (reported.has(a.name)) continue;
    reported.add(a.name);
    session.emit({
      type: "notice",
      level: "warning",
      message: `Alarm '${inert(a.name)}' has INSUFFICIENT_DATA: it cannot judge the canary (${session.naming.input("canary-alarms-insufficient")}: fail makes that a failure).`,
    });
  }
}
