/**
 * State changes as data. The CLI log, the action's grouped log, the job-summary timeline and the JSON timeline
 * are all renderings of these events.
 */

export type Phase =
  | "preflight"
  | "task-definition"
  | "service-create"
  | "canary-start"
  | "canary-running"
  | "container-health"
  | "target-registration"
  | "target-health"
  | "canary-idle"
  | "canary-soak"
  | "service-update"
  | "deployment"
  | "rollback"
  | "run-task"
  | "audit"
  | "cleanup";

/** `planned`: a dry run that found nothing in the way and changed nothing. */
export type Result = "succeeded" | "failed" | "rolled-back" | "canceled" | "planned";

interface At {
  /** Milliseconds since the epoch, from the injected clock. */
  at: number;
}

export type CageEvent = At &
  (
    | { type: "phase-started"; phase: Phase; detail?: string }
    | { type: "phase-finished"; phase: Phase; outcome: "ok" | "failed" | "skipped"; detail?: string }
    | {
        type: "task-status";
        taskArn: string;
        lastStatus: string;
        stopCode?: string;
        stoppedReason?: string;
        containers?: { name: string; lastStatus?: string; exitCode?: number; reason?: string; imageDigest?: string }[];
      }
    | { type: "container-health"; taskArn: string; container: string; health: string }
    | {
        type: "target-health";
        targetGroupArn: string;
        targetId: string;
        port: number;
        state: string;
        reason?: string;
        description?: string;
      }
    | {
        type: "deployment";
        deploymentId: string;
        rolloutState: string;
        runningCount: number;
        desiredCount: number;
        failedTasks?: number;
        reason?: string;
      }
    /** Something the engine started or changed, recorded as it goes so another process can clean it up. */
    | {
        type: "resource";
        kind: "task-definition" | "canary-task" | "target-registration" | "service-update" | "service" | "run-task";
        id: string;
        detail?: Record<string, string | number>;
      }
    | {
        type: "cleanup";
        action: "deregister" | "stop";
        target: string;
        outcome: "requested" | "done" | "failed";
        message?: string;
      }
    /** A watched CloudWatch alarm's state as read, each time it changed (first read included). */
    | { type: "alarm-state"; alarm: string; state: string; reason?: string; since?: number }
    /** One measurement of a canary-metrics check: the comparison it made and how it counts toward the verdict. */
    | {
        type: "metric-evaluation";
        metric: string;
        value?: number;
        comparison: string;
        outcome: "successful" | "failed" | "inconclusive";
        failures: number;
        failureLimit: number;
      }
    | { type: "notice"; level: "info" | "warning"; message: string }
    | { type: "heartbeat"; phase: Phase; message: string }
    | { type: "verdict"; result: Result; message: string; serviceChanged: boolean | "unknown" }
  );

export type EventSink = (event: CageEvent) => void;

/** Collects events in memory; the timeline that reports are rendered from. */
export class Timeline {
  readonly events: CageEvent[] = [];
  readonly sink: EventSink = (event) => {
    this.events.push(event);
  };
}
