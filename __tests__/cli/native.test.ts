/** `cage continue` and `cage rollback` against native deployments in the in-process simulator. */

import type { HttpRequest } from "@smithy/types";
import { describe, expect, it, vi } from "vitest";
import type { AwsSettings } from "../../src/aws/clients.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { serve } from "../../src/sim/serve.js";
import {
  deploymentOf,
  deployRolling,
  LAMBDA_HOOK,
  nativeSimulator,
  PAUSE_HOOK,
  PRODUCTION_PAUSE_HOOK,
  startBlueGreen,
  taskDefinitionOfService,
  untilEnded,
  untilPaused,
  WEB_1,
  WEB_V1_IMAGE,
} from "../fixtures/native-world.js";
import { withWebV2, writeListenerWorld } from "../sim/conformance/listener-world.js";

/** Request handling that loses the answer of the first call of `operation` after the simulator applied it. */
function losing(sim: ReturnType<typeof nativeSimulator>, operation: string, lost: string[]) {
  const inner = sim.requestHandler;
  let left = 1;
  return {
    ...inner,
    async handle(request: HttpRequest) {
      const out = await inner.handle(request);
      if (left > 0 && String(request.headers["x-amz-target"] ?? "").endsWith(`.${operation}`)) {
        left--;
        lost.push(operation);
        throw Object.assign(new Error("socket hang up (answer lost after the call took effect)"), {
          code: "ECONNRESET",
        });
      }
      return out;
    },
  };
}

function setup(lose?: string, world?: (w: any) => void) {
  const sim = nativeSimulator(world);
  const lost: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, clock: sim.clock };
  const ports = (aws: AwsSettings): AwsPorts =>
    lose ? sim.ports(aws.region, { maxAttempts: 1, requestHandler: losing(sim, lose, lost) }) : sim.ports(aws.region);
  const run = (argv: string[]) =>
    deployCommand(
      parseCommandLine([...argv, "--region", "us-east-1", "--cluster", "production", "--service", "web"], io.env),
      io,
      ports,
    );
  const mutations = () => sim.journal.mutations().map((c) => c.operation);
  return { sim, out, err, run, mutations, lost };
}

describe("cage continue", () => {
  it("continues the paused PAUSE hook and follows the deployment to SUCCESSFUL", async () => {
    const { sim, out, err, run, mutations } = setup();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    sim.journal.clear();
    expect(await run(["continue", "--json"]), err.join("\n")).toBe(0);
    const result = JSON.parse(out.join("\n"));
    expect(result).toMatchObject({ result: "succeeded", serviceDeploymentArn: arn });
    expect(result.message).toMatch(/ended SUCCESSFUL/);
    expect((await deploymentOf(sim, arn))?.status).toBe("SUCCESSFUL");
    expect(mutations()).toEqual(["ContinueServiceDeployment"]);
  });

  it("with --wait-until paused, reports the deployment's next PAUSE hook as paused, as a rollout does", async () => {
    const { sim, out, err, run, mutations } = setup();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK, PRODUCTION_PAUSE_HOOK]);
    await untilPaused(sim, arn);
    const first = (await deploymentOf(sim, arn))?.lifecycleHookDetails?.find((h) => h.status === "AWAITING_ACTION");
    sim.journal.clear();
    expect(await run(["continue", "--wait-until", "paused", "--json"]), err.join("\n")).toBe(0);
    const result = JSON.parse(out.join("\n"));
    const now = await deploymentOf(sim, arn);
    const waiting = now?.lifecycleHookDetails?.find((h) => h.status === "AWAITING_ACTION");
    expect(now?.status).toBe("IN_PROGRESS");
    expect(waiting?.hookId).toBeDefined();
    expect(waiting?.hookId).not.toBe(first?.hookId);
    expect(result).toMatchObject({
      result: "paused",
      serviceDeploymentArn: arn,
      hookId: waiting?.hookId,
      lifecycleStage: now?.lifecycleStage,
      hookExpiresAt: waiting?.expiresAt?.toISOString(),
    });
    expect(result.message).toContain(`Continued hook ${first?.hookId} of service deployment ${arn}`);
    expect(result.message).toContain(`waits at hook ${waiting?.hookId} until ${waiting?.expiresAt?.toISOString()}`);
    expect(mutations()).toEqual(["ContinueServiceDeployment"]);

    out.length = 0;
    expect(await run(["continue", "--json"]), err.join("\n")).toBe(0);
    expect(JSON.parse(out.join("\n"))).toMatchObject({ result: "succeeded", serviceDeploymentArn: arn });
    expect((await deploymentOf(sim, arn))?.status).toBe("SUCCESSFUL");
  });

  it("fails, naming the hook, when the deployment it continued is rolled back by a later hook", async () => {
    const { sim, err, run } = setup(undefined, (w) => {
      w.lambdas = { "web-check": { outcome: "FAILED", seconds: 10 } };
    });
    const arn = await startBlueGreen(sim, [PAUSE_HOOK, LAMBDA_HOOK]);
    await untilPaused(sim, arn);
    expect(await run(["continue"])).toBe(1);
    expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(err.join("\n")).toMatch(/did not succeed: it ended ROLLBACK_SUCCESSFUL: hook ecs-lambda-\S+ FAILED/);
  });

  it("reads the deployment back when the answer to ContinueServiceDeployment is lost, and does not send it again", async () => {
    const { sim, out, err, run, mutations, lost } = setup("ContinueServiceDeployment");
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    sim.journal.clear();
    expect(await run(["continue", "--json"]), err.join("\n")).toBe(0);
    expect(JSON.parse(out.join("\n")).result).toBe("succeeded");
    expect(lost).toEqual(["ContinueServiceDeployment"]);
    expect((await deploymentOf(sim, arn))?.status).toBe("SUCCESSFUL");
    expect(mutations()).toEqual(["ContinueServiceDeployment"]);
  });

  it("refuses with the service and what its deployment is doing, and changes nothing, when no hook waits", async () => {
    const { sim, err, run, mutations } = setup();
    const arn = await startBlueGreen(sim, []);
    sim.journal.clear();
    expect(await run(["continue"])).toBe(1);
    const text = err.join("\n");
    expect(text).toContain(`Nothing to continue: service 'web' in cluster 'production' has service deployment ${arn}`);
    expect(text).toMatch(/IN_PROGRESS.*no lifecycle hook of it is AWAITING_ACTION/);
    expect(text).toContain("Run `cage continue` only while a PAUSE hook waits (a rollout with --wait-until paused");
    expect(text).toMatch(/The service was not changed/);
    expect(mutations()).toEqual([]);
  });

  it("refuses when the service's latest deployment has ended, naming its status", async () => {
    const { sim, err, run, mutations } = setup();
    const arn = await startBlueGreen(sim, []);
    expect(await untilEnded(sim, arn)).toBe("SUCCESSFUL");
    sim.journal.clear();
    expect(await run(["rollback"])).toBe(1);
    expect(err.join("\n")).toMatch(
      /Nothing to roll back: service 'web' in cluster 'production' .* which is SUCCESSFUL.*no longer in flight/,
    );
    expect(mutations()).toEqual([]);
  });
});

describe("cage rollback", () => {
  it("rolls a paused deployment back through its hook and exits 0 once ROLLBACK_SUCCESSFUL", async () => {
    const { sim, out, err, run, mutations } = setup();
    const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
    await untilPaused(sim, arn);
    sim.journal.clear();
    expect(await run(["rollback"]), err.join("\n")).toBe(0);
    expect(out.join("\n")).toMatch(/the rollback completed \(ROLLBACK_SUCCESSFUL\)/);
    expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(mutations()).toEqual(["ContinueServiceDeployment"]);
  });

  it("stops a deployment in progress with ROLLBACK, named by --service-deployment-arn", async () => {
    const { sim, err, run, mutations } = setup();
    const arn = await startBlueGreen(sim, []);
    sim.journal.clear();
    expect(await run(["rollback", "--service-deployment-arn", arn]), err.join("\n")).toBe(0);
    expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(mutations()).toEqual(["StopServiceDeployment"]);
  });

  it("stops a ROLLING deployment in progress with ROLLBACK too", async () => {
    const { sim, err, run, mutations } = setup();
    const update = await sim.ports("us-east-1").ecs.updateService({
      cluster: "production",
      service: "web",
      taskDefinition: "web:2",
    });
    const arn = update.service?.currentServiceDeployment as string;
    sim.journal.clear();
    expect(await run(["rollback"]), err.join("\n")).toBe(0);
    expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    expect(mutations()).toEqual(["StopServiceDeployment"]);
  });

  it("rejects a --service-deployment-arn that is not one, before any call", async () => {
    const { sim, err, run } = setup();
    sim.journal.clear();
    await expect(
      run(["rollback", "--service-deployment-arn", "arn:aws:ecs:us-east-1:123456789012:service/production/web"]),
    ).rejects.toThrow(
      /--service-deployment-arn must be a service deployment ARN like arn:aws:ecs:us-east-1:<account>:service-deployment/,
    );
    expect(err).toEqual([]);
    expect(sim.journal.calls()).toEqual([]);
  });
});

describe("cage rollback of a ROLLING service with no deployment in flight", () => {
  it("rolls the revision it ran before its latest deployment out through a canary", async () => {
    const { sim, out, err, run, mutations } = setup();
    await deployRolling(sim, "web:2");
    sim.journal.clear();
    expect(await run(["rollback", "--json"]), err.join("\n")).toBe(0);
    const result = JSON.parse(out.join("\n"));
    expect(result).toMatchObject({ result: "succeeded", taskDefinitionArn: WEB_1 });
    expect(result.message).toMatch(/^Rollback to web:1: Service 'web' rolled out to web:1/);
    expect(await taskDefinitionOfService(sim)).toBe(WEB_1);
    const sent = mutations();
    expect(sent.indexOf("RunTask")).toBeGreaterThanOrEqual(0);
    expect(sent.indexOf("RunTask")).toBeLessThan(sent.indexOf("UpdateService"));
    expect(sim.journal.calls({ operation: "UpdateService" }).map((c: any) => c.params.taskDefinition)).toEqual([WEB_1]);
    expect(sent).not.toContain("RegisterTaskDefinition");
  });

  it("leaves the service on its current revision when the canary of the previous one fails", async () => {
    const { sim, out, err, run, mutations } = setup();
    const replaced = await deployRolling(sim, "web:2");
    // The old image no longer starts (say a secret it read is gone): its canary exits.
    sim.world.home.state.images.set(WEB_V1_IMAGE, { exitAfterSeconds: 5, exitCode: 1 });
    sim.journal.clear();
    expect(await run(["rollback"])).toBe(1);
    expect(out.join("\n")).toContain(`back to web:1, the revision it ran before service deployment ${replaced}`);
    expect(err.join("\n")).toMatch(/Rollback to web:1: .*exited with code 1/);
    expect(await taskDefinitionOfService(sim)).toMatch(/web:2$/);
    expect(mutations()).toContain("RunTask");
    expect(mutations()).not.toContain("UpdateService");
  });

  it("refuses, changing nothing, when no completed deployment replaced an earlier revision", async () => {
    const { sim, err, run, mutations } = setup();
    sim.journal.clear();
    expect(await run(["rollback"])).toBe(1);
    const text = err.join("\n");
    expect(text).toContain("Nothing to roll back: service 'web' in cluster 'production' has no completed service");
    expect(text).toContain("Roll out the revision wanted with `cage rollout` and --task-definition-arn");
    expect(mutations()).toEqual([]);
  });

  it("refuses, changing nothing, when the previous revision is INACTIVE", async () => {
    const { sim, err, run, mutations } = setup();
    await deployRolling(sim, "web:2");
    await sim.ports("us-east-1").ecs.deregisterTaskDefinition({ taskDefinition: "web:1" });
    sim.journal.clear();
    expect(await run(["rollback"])).toBe(1);
    expect(err.join("\n")).toMatch(/Nothing to roll back: .* would go back to web:1, .* but that revision is INACTIVE/);
    expect(mutations()).toEqual([]);
  });
});

describe("cage rollback over HTTP", () => {
  it("runs from the command line against cage sim serve", async () => {
    const running = await serve({ worldFile: writeListenerWorld(withWebV2), port: 0, timeScale: 600, log: () => {} });
    try {
      const sim = running.sim as unknown as ReturnType<typeof nativeSimulator>;
      const arn = await startBlueGreen(sim, [PAUSE_HOOK]);
      await untilPaused(sim, arn);
      const out: string[] = [];
      const err: string[] = [];
      const env = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
      // The SDK's credential chain reads the process's environment.
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env, clock: running.sim.clock };
      const argv = ["rollback", "--region", "us-east-1", "--endpoint-url", running.url, "--service", "web"];
      expect(await runCli([...argv, "--cluster", "production"], io), err.join("\n")).toBe(0);
      expect(out.join("\n")).toContain(`Rolled back service deployment ${arn}`);
      expect((await deploymentOf(sim, arn))?.status).toBe("ROLLBACK_SUCCESSFUL");
    } finally {
      vi.unstubAllEnvs();
      await running.close();
    }
  });
});
