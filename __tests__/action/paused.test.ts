/** The action's contract for `wait-until: paused`: result paused, the hook's outputs, a passing step. */
import { describe, expect, it } from "vitest";
import { runAction } from "../../src/action/main.js";
import type { CommandResult } from "../../src/engine/settings.js";
import { at, NEW_TD } from "../report/fixtures.js";
import { recordingAws, replayEngine } from "./fake-engine.js";
import { actionYml, runStep } from "./harness.js";

const ARN = "arn:aws:ecs:us-west-2:123456789012:service-deployment/prod/web/r2D2c3PO";
const HOOK = "ecs-pause-Xk7rT2mP9sLwQn4vB8fYd3hJ6gA1cE5iO0uR";
const paused: CommandResult = {
  result: "paused",
  message: `Service 'web' is paused at POST_TEST_TRAFFIC_SHIFT: service deployment ${ARN} waits at hook ${HOOK} until 2026-11-25T11:00:00.000Z.`,
  serviceChanged: true,
  taskDefinitionArn: NEW_TD,
  deploymentId: "ecs-svc/123",
  serviceDeploymentArn: ARN,
  lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
  hookId: HOOK,
  hookExpiresAt: new Date("2026-11-25T11:00:00Z"),
};
const events = at([
  [0, { type: "phase-started", phase: "deployment" }],
  [
    30,
    {
      type: "service-deployment",
      serviceDeploymentArn: ARN,
      status: "IN_PROGRESS",
      lifecycleStage: "POST_TEST_TRAFFIC_SHIFT",
      runningCount: 2,
      requestedCount: 2,
      productionWeight: 0,
      testWeight: 100,
      hook: { hookId: HOOK, status: "AWAITING_ACTION" },
    },
  ],
  [30, { type: "phase-finished", phase: "deployment", outcome: "ok" }],
]);

describe("wait-until: paused", () => {
  it("passes the step with result paused and the service deployment, stage and hook as outputs", async () => {
    const calls: { command: string; settings: unknown }[] = [];
    const engine = replayEngine({ events, result: paused }, calls);
    const inputs = { "deploy-context": "deploy", "wait-until": "paused" };
    const step = await runStep(() => runAction({ engine, aws: () => recordingAws([]) }), inputs, {
      env: { AWS_REGION: "us-west-2" },
    });
    expect(calls[0]?.settings).toMatchObject({ waitUntil: "paused" });
    expect(Object.keys(step.outputs).sort()).toEqual(Object.keys(actionYml.outputs).sort());
    expect(step.outputs).toMatchObject({
      result: "paused",
      "service-deployment-arn": ARN,
      "lifecycle-stage": "POST_TEST_TRAFFIC_SHIFT",
      "hook-id": HOOK,
    });
    expect(step.exitCode).toBe(0);
    expect(step.stdout).not.toContain("::error");
    expect(step.summary).toMatch(/^### Rollout of web is paused at a lifecycle hook\n\n> \[!NOTE\]/);
    expect(step.summary).toContain(`- **Paused at hook**: <code>${HOOK}</code> until 2026-11-25T11:00:00.000Z`);
    expect(step.summary).not.toContain("#### Why");
  });

  it("refuses a wait-until it does not know, naming the input, before any AWS call", async () => {
    const aws: string[] = [];
    const engine = replayEngine({ events, result: paused });
    const step = await runStep(
      () => runAction({ engine, aws: () => recordingAws(aws) }),
      { "deploy-context": "deploy", "wait-until": "halfway" },
      { env: { AWS_REGION: "us-west-2" } },
    );
    expect(step.exitCode).not.toBe(0);
    expect(step.stdout).toMatch(/::error.*'wait-until'.*deployed.*traffic-shifted.*paused/);
    expect(aws).toEqual([]);
  });
});
