/** `keep-revisions`: after a successful rollout, the family's revisions beyond the newest N are deregistered. */
import { describe, expect, it } from "vitest";
import { revisionsBeyond } from "../../src/engine/keep-revisions.js";
import { rollout } from "../../src/engine/rollout.js";
import { renderSummary } from "../../src/report/summary.js";
import { rolloutSettings, type Scenario, scenario, webContext } from "./scenarios/world.js";

const arn = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;

/** The family's revisions by status, as ECS lists them. */
async function revisions(s: Scenario, family: string, status: "ACTIVE" | "INACTIVE"): Promise<string[]> {
  const out = await s.sim.ports("us-east-1").ecs.listTaskDefinitions({ familyPrefix: family, status });
  return out.taskDefinitionArns ?? [];
}

/** Registers `count` more revisions of web (and one of another family) before the rollout. */
async function registered(s: Scenario, count: number): Promise<void> {
  const ecs = s.sim.ports("us-east-1").ecs;
  const td = webContext("v1").taskDefinition;
  for (let i = 0; i < count; i++) await ecs.registerTaskDefinition({ ...td, family: "web" } as never);
  await ecs.registerTaskDefinition({ ...td, family: "web-worker" } as never);
}

describe("revisionsBeyond", () => {
  it("keeps the newest N and the named ones, and lists the rest oldest first", () => {
    const active = [1, 2, 3, 4, 5, 6].map((r) => arn("web", r));
    expect(revisionsBeyond(active, 2, [arn("web", 6), arn("web", 2)])).toEqual([1, 3, 4].map((r) => arn("web", r)));
    expect(revisionsBeyond(active, 10, [])).toEqual([]);
  });
});

describe("cage rollout with keep-revisions", () => {
  it("deregisters what is beyond the newest N after the rollout, never the deployed one or the one before", async () => {
    const s = scenario();
    await registered(s, 4); // web:1 runs; web:2..web:5 are registered; the rollout registers web:6
    const result = await rollout(rolloutSettings({ keepRevisions: 1 }), s.deps);
    expect(result.result, result.message).toBe("succeeded");
    expect(result.taskDefinitionArn).toBe(arn("web", 6));
    expect(result.deregisteredRevisions).toEqual([2, 3, 4, 5].map((r) => arn("web", r)));
    expect((await revisions(s, "web", "ACTIVE")).sort()).toEqual([arn("web", 1), arn("web", 6)]);
    expect((await revisions(s, "web", "INACTIVE")).sort()).toEqual([2, 3, 4, 5].map((r) => arn("web", r)));
    expect(await revisions(s, "web-worker", "ACTIVE")).toEqual([arn("web-worker", 1)]);
    const notices = s.timeline.events.filter((e) => e.type === "notice").map((e) => e.message);
    expect(notices).toContain("--keep-revisions: deregistered web:2, web:3, web:4, web:5.");
    const target = { region: "us-east-1", cluster: "production", service: "web" };
    const summary = renderSummary({ command: "rollout", target, events: s.timeline.events, result });
    expect(summary).toContain(
      "- **Revisions deregistered**: <code>web:2</code>, <code>web:3</code>, <code>web:4</code>, <code>web:5</code>",
    );
  });

  it("deregisters nothing when the rollout fails", async () => {
    const s = scenario("crash");
    await registered(s, 3);
    const result = await rollout(rolloutSettings({ keepRevisions: 1 }), s.deps);
    expect(result.result).toBe("failed");
    expect(result.deregisteredRevisions).toBeUndefined();
    expect(await revisions(s, "web", "INACTIVE")).toEqual([]);
  });

  it("keeps every revision without keep-revisions", async () => {
    const s = scenario();
    await registered(s, 3);
    const result = await rollout(rolloutSettings(), s.deps);
    expect(result.result, result.message).toBe("succeeded");
    expect(await revisions(s, "web", "INACTIVE")).toEqual([]);
    expect(await revisions(s, "web", "ACTIVE")).toHaveLength(5);
  });
});
