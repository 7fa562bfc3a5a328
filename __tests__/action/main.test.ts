import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultEngine, type Engine } from "../../src/action/engine.js";
import { runAction } from "../../src/action/main.js";
import { runPost } from "../../src/action/post.js";
import { systemClock } from "../../src/shared/clock.js";
import { at, failedCanary, NEW_TD, succeeded, successfulRollout, TASK, TG } from "../report/fixtures.js";
import { parseGantt } from "../report/mermaid.js";
import { recordingAws, replayEngine } from "./fake-engine.js";
import { actionYml, runStep } from "./harness.js";

const env = { AWS_REGION: "us-west-2" };
const someAws = () => recordingAws([]);
const noAws = () => {
  throw new Error("no AWS in this test");
};

/** The main step with one deploy context, as most workflows call it. */
function deploy(engine: Engine, inputs: Record<string, string>) {
  return runStep(() => runAction({ engine, aws: someAws }), { "deploy-context": "deploy", ...inputs }, { env });
}

describe("runAction", () => {
  it("publishes a successful rollout: every output, the summary, a notice, and no cleanup left for post", async () => {
    const calls: { command: string; settings: unknown }[] = [];
    const engine = replayEngine({ events: successfulRollout(), result: succeeded }, calls);
    const step = await runStep(() => runAction({ engine, aws: someAws }), { "deploy-context": "deploy" }, { env });

    expect(Object.keys(step.outputs).sort()).toEqual(Object.keys(actionYml.outputs).sort());
    expect(step.outputs).toMatchObject({
      result: "succeeded",
      "task-definition-arn": NEW_TD,
      "canary-task-arn": TASK,
      "deployment-id": "ecs-svc/123",
      "exit-code": "",
    });
    const timeline = JSON.parse(readFileSync(step.outputs["timeline-json"] as string, "utf8"));
    expect(timeline.events).toHaveLength(successfulRollout().length);
    expect(timeline.events[0]).toEqual({ type: "phase-started", phase: "preflight", at: "2026-11-25T10:00:00.000Z" });
    expect(step.summary).toMatch(/^### Rollout of web succeeded\n\n> \[!TIP\]/);
    expect(step.summary).toContain("- **Task definition**: <code>web:42</code> → <code>web:43</code>\n");
    await parseGantt(step.summary);
    expect(step.stdout).toContain("::group::preflight");
    const groups = step.stdout.split("\n").filter((line) => /^::(end)?group::/.test(line));
    const kinds = groups.map((line) => line.split("::")[1]);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    expect(kinds).toEqual(kinds.map((_, i) => (i % 2 === 0 ? "group" : "endgroup")));
    expect(groups.filter((line) => line.startsWith("::group::")).slice(1)).toEqual(
      ["preflight", "task-definition", "canary-start", "target-health", "service-update", "cleanup"].map(
        (p) => `::group::${p}`,
      ),
    );
    expect(step.stdout).toContain("::notice title=Rollout of web succeeded::web now runs web:43");
    expect(step.stdout).toContain("::add-mask::ghs_fake-token-for-tests");
    expect(step.exitCode).toBe(0);
    expect(step.state.finished).toBe("true");
    expect(calls[0]?.settings).toMatchObject({
      region: "us-west-2",
      cluster: "prod",
      service: "web",
      canaryTaskIdleDuration: 15_000,
    });
  });

  it("lets explicit inputs win over service.json", async () => {
    const calls: { command: string; settings: unknown }[] = [];
    const engine = replayEngine({ events: [], result: succeeded }, calls);
    await deploy(engine, { cluster: "staging", service: "web-2" });
    expect(calls[0]?.settings).toMatchObject({ cluster: "staging", service: "web-2" });
  });

  it("fails the step with the reason when the canary fails, and says the service was not changed", async () => {
    const result = {
      result: "failed" as const,
      message: "The canary never turned healthy. The service was not changed.",
      serviceChanged: false,
      canaryTaskArn: TASK,
    };
    const engine = replayEngine({ events: failedCanary(), result });
    const step = await deploy(engine, {});
    expect(step.exitCode).toBe(1);
    expect(step.outputs.result).toBe("failed");
    expect(step.stdout).toContain("::error title=Rollout of web failed::The canary never turned healthy");
    expect(step.summary).toContain("> [!CAUTION]\n> The canary never turned healthy. The service was not changed.");
    expect(step.summary).toContain("log-group/$252Fecs$252Fweb/log-events/web$252Fapp$252F");
  });

  it("leaves the canary to the post step when the engine crashes after starting it", async () => {
    const events = at([
      [0, { type: "phase-started", phase: "canary-start" }],
      [1, { type: "resource", kind: "canary-task", id: TASK, detail: { cluster: "prod" } }],
      [
        2,
        {
          type: "resource",
          kind: "target-registration",
          id: `${TG}|10.0.1.5:8080`,
          detail: { taskArn: TASK, targetGroupArn: TG, targetId: "10.0.1.5", port: 8080 },
        },
      ],
    ]);
    const engine = replayEngine({ events, error: new Error("socket hang up") });
    const main = await deploy(engine, {});
    expect(main.exitCode).toBe(1);
    expect(main.outputs.result).toBe("failed");
    expect(main.summary).toContain("Rollout stopped with an error: socket hang up");
    expect(main.state.finished).toBeUndefined();

    const saved = JSON.parse(main.state.cleanup ?? "{}");
    expect(saved).toMatchObject({ cluster: "prod", service: "web", launched: true });
    expect(saved.recorded.map((r: { kind: string; id: string }) => [r.kind, r.id])).toEqual([
      ["canary-task", TASK],
      ["target-registration", `${TG}|10.0.1.5:8080`],
    ]);
  });

  it("warns of an input set to other than its default that the command does not take", async () => {
    const engine = replayEngine({ events: successfulRollout(), result: succeeded });
    const set = await deploy(engine, { "fail-on": "high" });
    expect(set.exitCode).toBe(0);
    const warnings = set.stdout.split("\n").filter((line) => line.startsWith("::warning::"));
    expect(warnings).toEqual(["::warning::'fail-on' does not apply to `command: rollout`; it has no effect here."]);
    const byDefault = await deploy(replayEngine({ events: successfulRollout(), result: succeeded }), {});
    expect(byDefault.stdout).not.toContain("does not apply to");
  });

  it("keeps the post step silent and away from AWS when the engine finished", async () => {
    const engine = replayEngine({ events: successfulRollout(), result: succeeded });
    const main = await deploy(engine, {});
    const post = await runStep(() => runPost({ aws: noAws }), {}, { env, state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toBe("");
  });

  it("fails before touching AWS when an input is invalid, naming the input", async () => {
    const engine = replayEngine({ events: [], result: succeeded });
    const step = await runStep(
      () => runAction({ engine, aws: noAws as never, clock: systemClock }),
      { "task-running-timeout": "ten" },
      { env },
    );
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toContain("::error::'task-running-timeout' must be a duration like 15s or 10m, got 'ten'");
    expect(step.outputs.result).toBe("failed");
    expect(Object.keys(step.outputs).sort()).toEqual(Object.keys(actionYml.outputs).sort());
    expect(step.summary).toBe(
      "### An input of the step is not valid\n\n> [!CAUTION]\n> The step stopped before it called AWS: nothing was changed.\n\n- 'task-running-timeout' must be a duration like 15s or 10m, got 'ten'\n",
    );
  });

  it("writes result=failed and a summary naming the file, line and fix when the deploy context is invalid", async () => {
    const step = await runStep(
      () => runAction({ engine: defaultEngine, aws: noAws as never }),
      { "deploy-context": "__tests__/fixtures/contexts/typo" },
      { env: { ...env, GITHUB_WORKSPACE: process.cwd() } },
    );
    expect(step.exitCode).toBe(1);
    expect(step.outputs.result).toBe("failed");
    expect(step.outputs["timeline-json"]).toBe("");
    expect(step.summary).toContain("### The deploy context is not valid\n");
    expect(step.summary).toContain("\n\nthe deploy context has 2 problems:\n\n- ");
    expect(step.summary).toContain(
      "contexts/typo/service.json:4:3: desiredCont: unknown key; did you mean &quot;desiredCount&quot;?\n",
    );
  });

  it("keeps the token out of the summary of an input error", async () => {
    const step = await runStep(
      () => runAction({ engine: replayEngine({ events: [], result: succeeded }), aws: noAws as never }),
      { command: "audit", "deploy-context": "deploy", "github-token": "ghs_s3cret", "pr-comment": "ghs_s3cret" },
      { env },
    );
    expect(step.outputs.result).toBe("failed");
    expect(step.summary).toContain("'pr-comment'");
    expect(step.summary).not.toContain("ghs_s3cret");
  });

  it("writes no summary for an input error when summary is false, and still sets result", async () => {
    const step = await deploy(replayEngine({ events: [], result: succeeded }), { summary: "false", timeout: "x" });
    expect(step.outputs.result).toBe("failed");
    expect(step.summary).toBe("");
  });

  it("runs a one-off task and publishes its exit code", async () => {
    const calls: { command: string; settings: unknown }[] = [];
    const result = {
      result: "failed" as const,
      message: "migrate exited with code 3",
      serviceChanged: false,
      exitCode: 3,
    };
    const engine = replayEngine({ events: [], result }, calls);
    const step = await deploy(engine, {
      command: "run",
      "run-container": "app",
      "run-command": '["npm", "run", "migrate"]',
    });
    expect(calls).toMatchObject([
      { command: "run", settings: { service: "web", container: "app", command: ["npm", "run", "migrate"] } },
    ]);
    expect(step.outputs).toMatchObject({ result: "failed", "exit-code": "3" });
    expect(step.summary).toContain("### Task run of web failed");
    expect(step.summary).toContain("#### What ran\n\n- **Service**:");
    expect(step.summary).toContain("- **Exit code**: 3");
    expect(step.exitCode).toBe(1);
  });

  it("lists the engine's evidence under Why", async () => {
    const result = {
      result: "rolled-back" as const,
      message: "the deployment failed; rolled back to web:42",
      serviceChanged: true,
      evidence: ["(service web) has started 1 tasks: (task 1a2b).", "task 1a2b stopped: <b>OutOfMemoryError</b>"],
    };
    const step = await deploy(replayEngine({ events: [], result }), {});
    expect(step.summary).toContain(
      "#### Why\n\n- \\(service web\\) has started 1 tasks: \\(task 1a2b\\).\n- task 1a2b stopped: &lt;b&gt;OutOfMemoryError&lt;/b&gt;",
    );
  });

  it("writes no summary when summary is false", async () => {
    const engine = replayEngine({ events: successfulRollout(), result: succeeded });
    const step = await deploy(engine, { summary: "false" });
    expect(step.summary).toBe("");
    expect(existsSync(step.outputs["timeline-json"] as string)).toBe(true);
  });
});
