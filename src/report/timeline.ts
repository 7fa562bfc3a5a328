/** The shape of a run, derived from its events: phase spans and per-target health spans. */
import type { CageEvent, Phase } from "../engine/events.js";

export interface PhaseSpan {
  phase: Phase;
  start: number;
  end: number;
  /** Undefined when the phase never finished (a crash or a kill). */
  outcome?: "ok" | "failed" | "skipped";
  detail?: string;
}

export interface HealthSpan {
  targetGroupArn: string;
  target: string;
  state: string;
  start: number;
  end: number;
}

export function boundsOf(events: readonly CageEvent[]): { start: number; end: number } | undefined {
  if (events.length === 0) return undefined;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    start = Math.min(start, event.at);
    end = Math.max(end, event.at);
  }
  return { start, end };
}

export function phaseSpans(events: readonly CageEvent[]): PhaseSpan[] {
  const end = boundsOf(events)?.end ?? 0;
  const spans: PhaseSpan[] = [];
  const open = new Map<Phase, PhaseSpan>();
  for (const event of events) {
    if (event.type === "phase-started") {
      const span: PhaseSpan = { phase: event.phase, start: event.at, end, detail: event.detail };
      spans.push(span);
      open.set(event.phase, span);
    } else if (event.type === "phase-finished") {
      const span = open.get(event.phase);
      if (span) {
        span.end = event.at;
        span.outcome = event.outcome;
        if (event.detail) span.detail = event.detail;
        open.delete(event.phase);
      } else {
        spans.push({
          phase: event.phase,
          start: event.at,
          end: event.at,
          outcome: event.outcome,
          detail: event.detail,
        });
      }
    }
  }
  return spans;
}

/** Each target's states in order; a state lasts until the next report for the same target, or the end of the run. */
export function healthSpans(events: readonly CageEvent[]): HealthSpan[] {
  const end = boundsOf(events)?.end ?? 0;
  const spans: HealthSpan[] = [];
  const last = new Map<string, HealthSpan>();
  for (const event of events) {
    if (event.type !== "target-health") continue;
    const target = `${event.targetId} port ${event.port}`;
    const key = `${event.targetGroupArn} ${target}`;
    const previous = last.get(key);
    if (previous?.state === event.state) continue;
    if (previous) previous.end = event.at;
    const span = { targetGroupArn: event.targetGroupArn, target, state: event.state, start: event.at, end };
    spans.push(span);
    last.set(key, span);
  }
  return spans;
}

export interface StageSpan {
  /** The lifecycle stage, with green's production share and a hook's wait where ECS reported them. */
  label: string;
  status: string;
  start: number;
  end: number;
}

/** A native service deployment's stages in order; each lasts until the next look that saw something else. */
export function stageSpans(events: readonly CageEvent[]): StageSpan[] {
  const end = boundsOf(events)?.end ?? 0;
  const spans: StageSpan[] = [];
  for (const event of events) {
    if (event.type !== "service-deployment" || !event.lifecycleStage) continue;
    // Mermaid's task names cannot hold `%`.
    const weight = event.productionWeight !== undefined ? ` ${event.productionWeight}/100 production` : "";
    const hook = event.hook ? ` hook ${event.hook.status}` : "";
    const status = event.status === "IN_PROGRESS" ? "" : ` ${event.status}`;
    const label = `${event.lifecycleStage}${weight}${hook}${status}`;
    const previous = spans.at(-1);
    if (previous?.label === label) continue;
    if (previous) previous.end = event.at;
    spans.push({
      label,
      status: event.status,
      start: event.at,
      end,
    });
  }
  return spans;
}

/** `arn:aws:elasticloadbalancing:…:targetgroup/web/0123` → `web`. */
export function targetGroupName(arn: string): string {
  const match = /targetgroup\/([^/]+)/.exec(arn);
  return match?.[1] ?? arn;
}

export function shortTaskId(taskArn: string): string {
  return taskArn.split("/").pop() ?? taskArn;
}
