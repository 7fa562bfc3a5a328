import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { diffCommand } from "../../src/cli/commands/diff.js";
import { runCli } from "../../src/cli/main.js";
import { DEMO_WORLD } from "../fixtures/demo-world.js";
import { demoWorld } from "./sim-io.js";

function setup(env: Record<string, string> = {}, world?: unknown) {
  const w = demoWorld(undefined, world ? { world } : {});
  Object.assign(w.io.env, env);
  const run = (argv: string[]) => diffCommand(parseCommandLine(argv, w.io.env), w.io, w.ports);
  return { ...w, run };
}

/** A removed or added line, not the `---` / `+++` header. */
const changed = (line: string) => /^[-+](?![-+]{2} )/.test(line);

/** A copy of deploy-example/ to change. */
function exampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-diff-"));
  cpSync("deploy-example", dir, { recursive: true });
  return dir;
}

describe("cage diff", () => {
  it("prints nothing for deploy-example at the live image, with only read calls", async () => {
    const { out, sim, run } = setup({ IMAGE_TAG: "v1" });
    expect(await run(["diff", "--region", "us-east-1", "--exit-code", "deploy-example"])).toBe(0);
    expect(out).toEqual([]);
    expect(sim.journal.calls().length).toBeGreaterThan(0);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("shows where service.json differs from the demo's live service with --update-service", async () => {
    const { out, run } = setup({ IMAGE_TAG: "v1" });
    expect(await run(["diff", "--region", "us-east-1", "--update-service", "deploy-example"])).toBe(0);
    expect(out.filter(changed)).toEqual(["+enableECSManagedTags: true", '+propagateTags: "SERVICE"']);
  });

  it("prints nothing after a rollout with --update-service, and then only a changed service.json field", async () => {
    const { out, sim, io, ports, run } = setup({ IMAGE_TAG: "v2" });
    const rollout = ["rollout", "--region", "us-east-1", "--update-service", "deploy-example"];
    expect(await deployCommand(parseCommandLine(rollout, io.env), io, ports)).toBe(0);
    out.length = 0;
    const mutations = sim.journal.mutations().length;
    const unchanged = await run(["diff", "--region", "us-east-1", "--update-service", "--exit-code", "deploy-example"]);
    expect(out).toEqual([]);
    expect(unchanged).toBe(0);
    const dir = exampleCopy();
    const service = JSON.parse(readFileSync(join(dir, "service.json"), "utf8"));
    service.desiredCount = 3;
    writeFileSync(join(dir, "service.json"), JSON.stringify(service));
    expect(await run(["diff", "--region", "us-east-1", "--update-service", "--exit-code", dir])).toBe(1);
    expect(out.slice(0, 2)).toEqual(["--- live service web (service)", `+++ ${join(dir, "service.json")}`]);
    expect(out.filter(changed)).toEqual(["-desiredCount: 2", "+desiredCount: 3"]);
    expect(sim.journal.mutations()).toHaveLength(mutations);
  });

  it("ignores key order and the order of environment variables and secrets", async () => {
    const dir = exampleCopy();
    const td = JSON.parse(readFileSync(join(dir, "task-definition.json"), "utf8"));
    td.containerDefinitions[0].environment.reverse();
    td.containerDefinitions.reverse();
    const reordered = Object.fromEntries(Object.entries(td).reverse());
    writeFileSync(join(dir, "task-definition.json"), JSON.stringify(reordered));
    const { out, run } = setup({ IMAGE_TAG: "v1" });
    expect(await run(["diff", "--region", "us-east-1", "--exit-code", dir])).toBe(0);
    expect(out).toEqual([]);
  });

  it("shows the service up would create when it does not exist", async () => {
    const world = structuredClone(DEMO_WORLD);
    world.services = [];
    const { out, err, sim, run } = setup({ IMAGE_TAG: "v1" }, world);
    expect(await run(["diff", "--region", "us-east-1", "--exit-code", "deploy-example"])).toBe(1);
    expect(out).toContain("--- (no service) (service)");
    expect(out).toContain('+serviceName: "web"');
    expect(out).toContain("+desiredCount: 2");
    expect(out.some((l) => l.startsWith("+taskDefinition"))).toBe(false);
    expect(err.join("\n")).toContain("`cage up` would create it");
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("sets images with --image, without templating, and names the containers when one does not exist", async () => {
    const { out, run } = setup({ IMAGE_TAG: "v1" });
    const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:${NOT_A_VARIABLE}";
    expect(await run(["diff", "--region", "us-east-1", "--image", `app=${image}`, "deploy-example"])).toBe(0);
    expect(out).toContain(`+containerDefinitions[app].image: ${JSON.stringify(image)}`);
    const bad = setup({ IMAGE_TAG: "v1" });
    await expect(
      bad.run(["diff", "--region", "us-east-1", "--image", "app=a:1", "--image", "web=b:2", "deploy-example"]),
    ).rejects.toThrow(
      /--image: container 'web' is not in deploy-example\/task-definition.json; its containers are: app, log-router/,
    );
    expect(bad.sim.journal.calls()).toEqual([]);
  });

  it("accepts what describe-task-definition prints, dropping its read-only keys with one notice", async () => {
    const dir = exampleCopy();
    const { sim, out, err, run } = setup({ IMAGE_TAG: "v1" });
    const described = await sim
      .ports("us-east-1")
      .ecs.describeTaskDefinition({ taskDefinition: "web:1", include: ["TAGS"] });
    const { $metadata: _m, ...printed } = described;
    writeFileSync(join(dir, "task-definition.json"), JSON.stringify(printed, null, 2));
    expect(await run(["diff", "--region", "us-east-1", "--exit-code", dir])).toBe(0);
    expect(out).toEqual([]);
    const notices = err.filter((l) => l.includes("ignored"));
    expect(notices).toEqual([
      `cage: ${join(dir, "task-definition.json")}: ignored taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy: ECS sets these on a registered revision, RegisterTaskDefinition does not take them`,
    ]);
  });

  it("colours the diff only on a terminal, and not with NO_COLOR", async () => {
    for (const [env, coloured] of [
      [{}, true],
      [{ NO_COLOR: "1" }, false],
    ] as const) {
      const w = setup({ IMAGE_TAG: "v2", ...env });
      const styled: string[] = [];
      w.io.outStyled = (line, sgr) => styled.push(`${sgr}|${line}`);
      await diffCommand(parseCommandLine(["diff", "--region", "us-east-1", "deploy-example"], w.io.env), w.io, w.ports);
      if (coloured) {
        expect(styled).toContain('31|-containerDefinitions[app].environment[RELEASE].value: "v1"');
        expect(w.out.every((l) => l.startsWith(" "))).toBe(true);
      } else expect(styled).toEqual([]);
    }
  });

  it("compares a registered revision given with --task-definition-arn", async () => {
    const { out, run } = setup();
    expect(
      await run(["diff", "--region", "us-east-1", "--task-definition-arn", "web:1", "--exit-code", "deploy-example"]),
    ).toBe(0);
    expect(out).toEqual([]);
  });

  it("prints the plan as JSON with --json", async () => {
    const { out, run } = setup({ IMAGE_TAG: "v2" });
    expect(await run(["diff", "--region", "us-east-1", "--json", "deploy-example"])).toBe(0);
    const plan = JSON.parse(out.join("\n"));
    expect(plan).toMatchObject({ changed: true, serviceExists: true });
    expect(plan.sections).toEqual([
      { subject: "task definition", from: "live web:1", to: "deploy-example/task-definition.json", changed: true },
    ]);
    expect(plan.diff).toContain('+containerDefinitions[app].environment[RELEASE].value: "v2"');
  });

  it("prints what a file says inert: bidi overrides and line separators as escapes", async () => {
    const dir = exampleCopy();
    const td = JSON.parse(readFileSync(join(dir, "task-definition.json"), "utf8"));
    td.containerDefinitions[0].environment.push({ name: "EVIL", value: "a\u202eb\u2028::error::c" });
    writeFileSync(join(dir, "task-definition.json"), JSON.stringify(td));
    const { out, run } = setup({ IMAGE_TAG: "v1" });
    await run(["diff", "--region", "us-east-1", dir]);
    expect(out).toContain('+containerDefinitions[app].environment[EVIL].value: "a\\u202eb\\u2028::error::c"');
    expect(out.join("\n")).not.toMatch(/[\u202e\u2028]/);
  });

  it("refuses a run flag, as the deploy commands do", async () => {
    const { io } = setup();
    expect(await runCli(["diff", "--run-container", "app", "deploy-example"], io)).toBe(2);
  });
});
