import type { CageEvent } from "../../src/engine/events.js";
import type { CommandResult } from "../../src/engine/settings.js";
import type { DeployReportInput } from "../../src/report/types.js";

export const T0 = Date.parse("2026-11-25T10:00:00Z");
export const TG = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web-tg/0123456789abcdef";
export const TASK = "arn:aws:ecs:us-west-2:123456789012:task/prod/4f2c9e0d1b2a4c6e8f0a1b2c3d4e5f60";
export const NEW_TD = "arn:aws:ecs:us-west-2:123456789012:task-definition/web:43";
export const OLD_TD = "arn:aws:ecs:us-west-2:123456789012:task-definition/web:42";

type Shape = CageEvent extends infer E ? (E extends CageEvent ? Omit<E, "at"> : never) : never;

/** Events at the given seconds after T0. */
export function at(entries: [number, Shape][]): CageEvent[] {
  return entries.map(([s, e]) => ({ ...e, at: T0 + s * 1000 }) as CageEvent);
}

export function successfulRollout(): CageEvent[] {
  return at([
    [0, { type: "phase-started", phase: "preflight" }],
    [1, { type: "phase-finished", phase: "preflight", outcome: "ok" }],
    [1, { type: "phase-started", phase: "task-definition" }],
    [2, { type: "resource", kind: "task-definition", id: NEW_TD }],
    [2, { type: "phase-finished", phase: "task-definition", outcome: "ok" }],
    [2, { type: "phase-started", phase: "canary-start" }],
    [3, { type: "resource", kind: "canary-task", id: TASK, detail: { cluster: "prod" } }],
    [3, { type: "task-status", taskArn: TASK, lastStatus: "PROVISIONING" }],
    [20, { type: "task-status", taskArn: TASK, lastStatus: "RUNNING" }],
    [20, { type: "phase-finished", phase: "canary-start", outcome: "ok" }],
    [20, { type: "phase-started", phase: "target-health" }],
    [
      21,
      {
        type: "target-health",
        targetGroupArn: TG,
        targetId: "10.0.1.5",
        port: 8080,
        state: "initial",
        reason: "Elb.RegistrationInProgress",
      },
    ],
    [51, { type: "heartbeat", phase: "target-health", message: "still initial" }],
    [66, { type: "target-health", targetGroupArn: TG, targetId: "10.0.1.5", port: 8080, state: "healthy" }],
    [66, { type: "phase-finished", phase: "target-health", outcome: "ok" }],
    [66, { type: "phase-started", phase: "service-update" }],
    [
      67,
      {
        type: "resource",
        kind: "service-update",
        id: "ecs-svc/123",
        detail: { service: "web", previousTaskDefinition: OLD_TD, taskDefinition: NEW_TD },
      },
    ],
    [
      67,
      {
        type: "deployment",
        deploymentId: "ecs-svc/123",
        rolloutState: "IN_PROGRESS",
        runningCount: 1,
        desiredCount: 2,
      },
    ],
    [
      130,
      { type: "deployment", deploymentId: "ecs-svc/123", rolloutState: "COMPLETED", runningCount: 2, desiredCount: 2 },
    ],
    [130, { type: "phase-finished", phase: "service-update", outcome: "ok" }],
    [130, { type: "phase-started", phase: "cleanup" }],
    [131, { type: "cleanup", action: "stop", target: TASK, outcome: "done" }],
    [140, { type: "phase-finished", phase: "cleanup", outcome: "ok" }],
    [140, { type: "verdict", result: "succeeded", message: "web now runs web:43", serviceChanged: true }],
  ]);
}

export function failedCanary(): CageEvent[] {
  return at([
    [0, { type: "phase-started", phase: "preflight" }],
    [1, { type: "phase-finished", phase: "preflight", outcome: "ok" }],
    [1, { type: "phase-started", phase: "canary-start" }],
    [2, { type: "resource", kind: "canary-task", id: TASK }],
    [15, { type: "task-status", taskArn: TASK, lastStatus: "RUNNING" }],
    [15, { type: "phase-finished", phase: "canary-start", outcome: "ok" }],
    [15, { type: "phase-started", phase: "target-health" }],
    [16, { type: "target-health", targetGroupArn: TG, targetId: "10.0.1.5", port: 8080, state: "initial" }],
    [
      46,
      {
        type: "target-health",
        targetGroupArn: TG,
        targetId: "10.0.1.5",
        port: 8080,
        state: "unhealthy",
        reason: "Target.ResponseCodeMismatch",
        description: "Health checks failed with these codes: [502]",
      },
    ],
    [
      47,
      {
        type: "task-status",
        taskArn: TASK,
        lastStatus: "STOPPED",
        stopCode: "EssentialContainerExited",
        stoppedReason: "Essential container in task exited",
        containers: [{ name: "app", exitCode: 1, reason: "CannotStartContainerError" }],
      },
    ],
    [47, { type: "phase-finished", phase: "target-health", outcome: "failed", detail: "target unhealthy" }],
    [48, { type: "verdict", result: "failed", message: "The canary never turned healthy", serviceChanged: false }],
  ]);
}

export const succeeded: CommandResult = {
  result: "succeeded",
  message: "web now runs web:43",
  serviceChanged: true,
  taskDefinitionArn: NEW_TD,
  canaryTaskArn: TASK,
  deploymentId: "ecs-svc/123",
};

export function reportOf(
  events: CageEvent[],
  result: CommandResult,
  extra: Partial<DeployReportInput> = {},
): DeployReportInput {
  return {
    command: "rollout",
    target: { region: "us-west-2", cluster: "prod", service: "web" },
    events,
    result,
    deployed: {
      previousTaskDefinitionArn: OLD_TD,
      taskDefinitionArn: NEW_TD,
      containers: [
        {
          name: "app",
          image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/web:v43",
          imageDigest: "sha256:4f2c9e0d1b2a4c6e8f0a1b2c3d4e5f604f2c9e0d1b2a4c6e8f0a1b2c3d4e5f60",
          awslogs: { group: "/ecs/web", region: "us-west-2", streamPrefix: "web" },
        },
      ],
    },
    ...extra,
  };
}
