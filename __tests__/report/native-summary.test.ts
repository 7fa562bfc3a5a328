/** The job summary of a native (BLUE_GREEN) deployment followed in the simulator: its stages drawn, its root cause first. */
import { describe, expect, it } from "vitest";
import { renderSummary } from "../../src/report/summary.js";
import type { Scenario } from "../engine/scenarios/world.js";
import { blueGreen, deploy, listenerScenario, target } from "../fixtures/native-world.js";
import { parseGantt } from "./mermaid.js";

const alarmed = (w: any) => {
  w.alarms = [{ name: "web-5xx", trigger: { image: "web:v2", afterSeconds: 20 } }, { name: "web-latency" }];
};

async function summaryOf(s: Scenario, config: object) {
  const outcome = await deploy(s, { config, loadBalancers: blueGreen });
  const events = s.timeline.events;
  const result = { ...outcome, serviceChanged: true as const };
  return { outcome, markdown: renderSummary({ command: "rollout", target, events, result }) };
}

describe("the summary of a native deployment", () => {
  it("draws the lifecycle stages as bars with green's production share", async () => {
    const s = listenerScenario();
    const { outcome, markdown } = await summaryOf(s, { strategy: "BLUE_GREEN", bakeTimeInMinutes: 5 });
    expect(outcome.result).toBe("succeeded");
    const stages = (await parseGantt(markdown)).filter((t) => t.section === "Service deployment");
    const names = stages.map((t) => t.name);
    expect(names).toContain("BAKE_TIME 100/100 production");
    expect(names.at(-1)).toMatch(/SUCCESSFUL$/);
    for (const [i, t] of stages.entries()) {
      expect(t.end).toBeGreaterThan(t.start);
      if (i > 0) expect(t.start).toBeGreaterThanOrEqual(stages[i - 1]!.start);
    }
    expect(markdown).toContain(`**Service deployment**: <code>${outcome.serviceDeploymentArn}</code>`);
  });

  it("names a failed deployment's root cause, the triggered alarm, on its first line and first in Why", async () => {
    const s = listenerScenario(alarmed);
    const alarms = { alarmNames: ["web-latency", "web-5xx"], enable: true, rollback: true };
    const { outcome, markdown } = await summaryOf(s, { strategy: "BLUE_GREEN", bakeTimeInMinutes: 10, alarms });
    expect(outcome.result).toBe("rolled-back");
    const alert = markdown.split("\n").find((line) => line.startsWith("> ") && !line.startsWith("> [!"));
    expect(alert).toMatch(/^> Deployment `?ecs-svc\/\d+`? failed and ECS rolled it back: alarm web-5xx triggered/);
    const why = markdown.split("#### Why\n\n")[1]?.split("\n")[0];
    expect(why).toMatch(/^- Service deployment <code>\w+<\/code> ended ROLLBACK\\_SUCCESSFUL: alarm web-5xx triggered/);
  });
});
