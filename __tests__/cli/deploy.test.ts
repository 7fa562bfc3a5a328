import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { demoWorld } from "./sim-io.js";

function setup(variant?: string) {
  const { sim, out, err, io, ports } = demoWorld(variant);
  const run = (argv: string[]) => deployCommand(parseCommandLine(argv, io.env), io, ports);
  const service = async () => {
    const out = await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] });
    return out.services?.[0];
  };
  return { sim, out, err, run, service };
}

describe("cage rollout", () => {
  it("rolls the example service out to the new revision and logs each step with elapsed time", async () => {
    const { out, run, service } = setup();
    const before = (await service())?.taskDefinition;
    expect(await run(["rollout", "--region", "us-east-1", "deploy-example"])).toBe(0);
    const after = await service();
    expect(after?.taskDefinition).not.toBe(before);
    expect(after?.taskDefinition).toMatch(/task-definition\/web:\d+$/);
    expect(out.some((l) => /^\[\s*\d.*\] .*succeeded/.test(l))).toBe(true);
  });

  it("leaves the service untouched and exits 1 when the canary's essential container exits", async () => {
    const { err, run, service } = setup("crash");
    const before = await service();
    expect(await run(["rollout", "--region", "us-east-1", "deploy-example"])).toBe(1);
    const after = await service();
    expect(after?.taskDefinition).toBe(before?.taskDefinition);
    expect(after?.desiredCount).toBe(before?.desiredCount);
    expect(err.join("\n")).toMatch(/failed/);
  });

  it("prints the result and the timeline as JSON with --json", async () => {
    const { out, run } = setup();
    expect(await run(["rollout", "--region", "us-east-1", "--json", "deploy-example"])).toBe(0);
    const parsed = JSON.parse(out.join("\n"));
    expect(parsed.result).toBe("succeeded");
    expect(parsed.timeline.at(-1)).toMatchObject({ type: "verdict", result: "succeeded" });
    expect(parsed.timeline[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
