/** `cage rollout` against the simulated demo: the service deployment it followed, printed and in --json. */
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand, exitCodeOf } from "../../src/cli/commands/deploy.js";
import type { Result } from "../../src/engine/events.js";
import { demoWorld } from "./sim-io.js";

function setup() {
  const { sim, out, io, ports } = demoWorld();
  const run = (argv: string[]) => deployCommand(parseCommandLine(argv, io.env), io, ports);
  const listed = async () =>
    (await sim.ports("us-east-1").ecs.listServiceDeployments({ cluster: "production", service: "web" }))
      .serviceDeployments ?? [];
  return { out, run, listed };
}

describe("cage rollout, following the service deployment", () => {
  it("prints the ARN of the ROLLING service deployment it followed to SUCCESSFUL", async () => {
    const { out, run, listed } = setup();
    expect(await run(["rollout", "--region", "us-east-1", "deploy-example"])).toBe(0);
    const successful = (await listed()).filter((d) => d.status === "SUCCESSFUL");
    const newest = successful.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
    expect(out).toContain(`service-deployment-arn: ${newest?.serviceDeploymentArn}`);
    expect(out.some((l) => /service deployment \w+ SUCCESSFUL: 2\/2 running/.test(l))).toBe(true);
  });

  it("takes --wait-until, and refuses a value it does not know, naming the flag", async () => {
    const { run } = setup();
    expect(await run(["rollout", "--region", "us-east-1", "--wait-until", "paused", "deploy-example"])).toBe(0);
    await expect(
      run(["rollout", "--region", "us-east-1", "--wait-until", "halfway", "deploy-example"]),
    ).rejects.toThrow(/--wait-until.*deployed.*traffic-shifted.*paused/);
  });
});

describe("exitCodeOf", () => {
  it.each([
    ["succeeded", 0],
    ["paused", 0],
    ["planned", 0],
    ["failed", 1],
    ["rolled-back", 1],
    ["canceled", 130],
  ] as [Result, number][])("exits %s with %i", (result, code) => {
    expect(exitCodeOf({ result, message: "", serviceChanged: true })).toBe(code);
  });
});
