/** The action's main step on the real engine against the simulator, as a workflow runs it. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runPost } from "../../src/action/post.js";
import { sarifProblems } from "../audit/sarif-constraints.js";
import { DEMO_WORLD, demoSimulator } from "../fixtures/demo-world.js";
import { parseGantt } from "../report/mermaid.js";
import { demoStep } from "./demo-step.js";
import { runStep } from "./harness.js";

const rolloutOn = (variant?: string) => demoStep({ command: "rollout" }, { variant });

describe("the action on the simulator", () => {
  it("rolls the example service out and reports it with a timeline mermaid can read", async () => {
    const { sim, step } = rolloutOn();
    const run = await step;
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.outputs["task-definition-arn"]).toMatch(/task-definition\/web:\d+$/);
    expect(run.outputs["canary-task-arn"]).toMatch(/:task\//);
    const service = (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] }))
      .services?.[0];
    expect(service?.taskDefinition).toBe(run.outputs["task-definition-arn"]);
    expect(run.summary).toMatch(/^### Rollout of web succeeded\n\n> \[!TIP\]/);
    const tasks = await parseGantt(run.summary);
    expect(tasks.some((t) => t.section === "Phases")).toBe(true);
    expect(run.state.finished).toBe("true");
    expect(run.stdout).toMatch(/::group::/);
  });

  it("fails with the reason first and leaves the service untouched when the canary crashes", async () => {
    const { sim, step } = rolloutOn("crash");
    const before = (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] }))
      .services?.[0];
    const run = await step;
    if (process.env.SHOW_SUMMARY) console.log(run.summary);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(run.summary).toMatch(/> \[!CAUTION\]\n> .*The service was not changed\./);
    const why = run.summary.indexOf("#### Why");
    expect(why).toBeGreaterThan(0);
    expect(why).toBeLessThan(run.summary.indexOf("#### What was tried (not deployed)"));
    expect(run.summary).not.toContain("What was deployed");
    const after = (await sim.ports("us-east-1").ecs.describeServices({ cluster: "production", services: ["web"] }))
      .services?.[0];
    expect(after?.taskDefinition).toBe(before?.taskDefinition);
  });
});

function auditOn(variant: string | undefined, inputs: Record<string, string>, world?: unknown, env = {}) {
  return demoStep({ command: "audit", ...inputs }, { variant, world, env }).step;
}

describe("the audit on the simulator", () => {
  it("fails the gate on critical findings, with counts, the table, the JSON and an annotation on the image line", async () => {
    const run = await auditOn("critical-findings", { "audit-source": "deploy-context" });
    if (process.env.SHOW_SUMMARY) console.log(run.summary, run.stdout);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(Number(run.outputs["critical-count"])).toBeGreaterThan(0);
    expect(run.outputs["highest-severity"]).toBe("CRITICAL");
    const json = JSON.parse(readFileSync(run.outputs["audit-json"] as string, "utf8"));
    expect(json).toMatchObject({ cluster: "production", service: "web" });
    expect(run.summary).toMatch(/^### Audit of web failed\n\n> \[!CAUTION\]/);
    expect(run.summary).toContain("| production/web · app |");
    expect(run.stdout).toMatch(
      /::error title=app%3A \d+ CRITICAL,file=deploy-example\/task-definition\.json,line=\d+::/,
    );
  });

  it("writes the 25,000 most severe results to SARIF, with a warning, when the scan has more", async () => {
    const json = structuredClone(DEMO_WORLD);
    const v2 = json.variants["critical-findings"].ecr.repositories[0].images[1];
    v2.scan.findings.generate = { count: 25_010, seed: 7, severities: { CRITICAL: 2, HIGH: 5, LOW: 25_003 } };
    const dir = mkdtempSync(join(tmpdir(), "cage-sarif-"));
    const inputs = { "audit-source": "deploy-context", "fail-on": "none", "sarif-file": join(dir, "a.sarif") };
    const run = await auditOn("critical-findings", inputs, json);
    expect(run.exitCode).toBe(0);
    const sarif = JSON.parse(readFileSync(join(dir, "a.sarif"), "utf8"));
    expect(sarif.runs[0].results).toHaveLength(25_000);
    expect(sarif.runs[0].results.filter((r: { level: string }) => r.level === "error")).toHaveLength(7);
    expect(run.stdout).toMatch(/::warning::.*the SARIF file holds the 25000 most severe of 25010 results/);
  }, 60_000);

  it("locates SARIF results at task-definition.json's image line, from the repository's root, as code scanning accepts", async () => {
    mkdirSync(".tmp", { recursive: true });
    const dir = mkdtempSync(join(".tmp", "sarif-"));
    const run = await auditOn(
      "critical-findings",
      {
        "deploy-context": resolve("deploy-example"),
        "audit-source": "deploy-context",
        "sarif-file": join(dir, "a.sarif"),
      },
      DEMO_WORLD,
      { GITHUB_WORKSPACE: process.cwd() },
    );
    const sarif = JSON.parse(readFileSync(join(dir, "a.sarif"), "utf8"));
    expect(sarifProblems(sarif)).toEqual([]);
    const places = new Set(
      sarif.runs[0].results.map(
        (r: any) =>
          `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`,
      ),
    );
    const imageLine = readFileSync("deploy-example/task-definition.json", "utf8")
      .split("\n")
      .indexOf('      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:${IMAGE_TAG}",');
    expect([...places]).toEqual([`deploy-example/task-definition.json:${imageLine + 1}`]);
    expect(run.stdout).toContain(`file=deploy-example/task-definition.json,line=${imageLine + 1}::`);
  });

  it("audits several services named as cluster/service pairs and names in 'cluster', one row each", async () => {
    const json = structuredClone(DEMO_WORLD);
    const web = json.services[0];
    json.services.push({ ...web, serviceName: "worker", loadBalancers: [], taskDefinition: "web:1" });
    const run = await auditOn(
      undefined,
      { "deploy-context": "", cluster: "production", service: "production/web\nworker\nproduction/gone" },
      json,
    );
    expect(run.summary).toContain("| production/web · app |");
    expect(run.summary).toContain("| production/worker · app |");
    expect(run.summary).toMatch(/\| production\/gone \| {2}\| service not found <sup>\d<\/sup> \| – \|/);
    expect(run.summary).toMatch(/^\d\. production\/gone: SERVICE\\_NOT\\_FOUND: /m);
    expect(run.outputs.result).toBe("failed");
    expect(run.summary).toMatch(/^### Audit of web, worker, gone failed/);
  });

  it("expands a deploy-context pattern to every folder holding a service.json", async () => {
    mkdirSync(".tmp", { recursive: true });
    const root = mkdtempSync(join(".tmp", "glob-"));
    for (const name of ["web", "worker"]) {
      mkdirSync(join(root, "services", name, "deploy"), { recursive: true });
      const service = JSON.parse(readFileSync("deploy-example/service.json", "utf8"));
      writeFileSync(
        join(root, "services", name, "deploy", "service.json"),
        JSON.stringify({ ...service, serviceName: name }),
      );
    }
    mkdirSync(join(root, "services", "docs", "deploy"), { recursive: true });
    const json = structuredClone(DEMO_WORLD);
    json.services.push({ ...json.services[0], serviceName: "worker", loadBalancers: [] });
    const run = await auditOn(undefined, { "deploy-context": `${root}/services/*/deploy` }, json);
    expect(run.summary).toContain("| production/web · app |");
    expect(run.summary).toContain("| production/worker · app |");
    expect(run.stdout).toContain(`Deploy context ${join(root, "services", "web", "deploy")}`);

    const none = await auditOn(undefined, { "deploy-context": `${root}/nothing/*` });
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toMatch(
      /::error::'deploy-context' pattern '.*\/nothing\/\*' matches no folder holding a service\.json/,
    );
  });

  it("counts the services in its title when there are more than three", async () => {
    const run = await auditOn(undefined, {
      "deploy-context": "",
      "fail-on": "none",
      "fail-on-unscanned": "none",
      service: "production/a, production/b, production/c, production/d",
    });
    expect(run.summary).toMatch(/^### Audit of 4 services passed/);
    // Four services that do not exist pass only because fail-on-unscanned is none, and as a warning.
    expect(run.stdout).toContain("::warning title=Audit of 4 services passed::");
  });

  it("fails by default on a private image whose scan FAILED: verdict, outputs, summary and exit code agree", async () => {
    const run = await auditOn("scan-failed", { "audit-source": "deploy-context" });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      result: "failed",
      "highest-severity": "UNKNOWN",
      "critical-count": "0",
      "unscanned-count": "2",
    });
    expect(run.summary).toMatch(
      /^### Audit of web failed\n\n> \[!CAUTION\]\n> failed: 1 image\\\(s\\\) without a usable scan/,
    );
    expect(run.summary).toContain("> [!CAUTION]\n> The audit is incomplete: of 2 rows, 1 has no usable scan");
    expect(run.summary).not.toMatch(/^> No findings/m);
    expect(run.summary).toContain(
      "| production/web · app | <code>web:v2</code> | scan failed <sup>1</sup> | – | – | – | – | – | – | – |",
    );
    expect(run.summary).toContain("1. production/web app: FAILED: ECR reports the scan as FAILED");
    expect(run.stdout).toContain("::error title=Audit of web failed::failed: 1 image(s) without a usable scan");
  });

  it("passes a FAILED scan with fail-on-unscanned none, as a warning", async () => {
    const run = await auditOn("scan-failed", { "audit-source": "deploy-context", "fail-on-unscanned": "none" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ result: "succeeded", "highest-severity": "UNKNOWN", "unscanned-count": "2" });
    expect(run.summary).toMatch(/^### Audit of web passed\n/);
    expect(run.stdout).toMatch(
      /::warning title=Audit of web passed::passed: .*warning: 1 image\(s\) without a usable scan/,
    );
  });

  it("only warns about an image ECR cannot scan (a public registry's)", async () => {
    const run = await auditOn(undefined, {});
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ result: "succeeded", "highest-severity": "MEDIUM", "unscanned-count": "1" });
    expect(run.summary).toContain(
      "> [!WARNING]\n> Not every image could be scanned: 1 of 2 rows cannot be scanned by ECR",
    );
    expect(run.summary).toContain(
      "| production/web · log-router | <code>aws-for-fluent-bit:stable</code> | not scannable <sup>1</sup> | – |",
    );
    expect(run.stdout).toContain(
      "::warning title=Audit of web passed::passed: no finding at or above CRITICAL; warning: 1 image(s) ECR cannot scan",
    );
  });

  it("refuses a fail-on-unscanned value it does not know, naming the input and its values", async () => {
    const run = await auditOn("scan-failed", { "fail-on-unscanned": "public" });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("'fail-on-unscanned' must be one of private, all, none, got 'public'");
  });

  it("passes an audit with fail-on none and still reports what it found", async () => {
    const run = await auditOn("critical-findings", { "fail-on": "none" });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.result).toBe("succeeded");
    expect(run.summary).toContain("### Audit of web passed");
  });
});

describe("the post step on the simulator", () => {
  const tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
  const target = { region: "us-east-1", cluster: "production", service: "web", runId: "99" };

  function world(extra: Record<string, unknown> = {}) {
    const sim = demoSimulator({ world: { ...DEMO_WORLD, ...extra } });
    return { sim, aws: sim.ports("us-east-1") };
  }

  /** A task as the main step starts it: the canary's group, or `run`'s, and this run's startedBy. */
  async function startTask(aws: ReturnType<typeof world>["aws"], group: string): Promise<string> {
    const started = await aws.ecs.runTask({
      cluster: "production",
      taskDefinition: "web:1",
      launchType: "FARGATE",
      group,
      startedBy: "cage-action/99",
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001"], securityGroups: ["sg-0123456789abcdef0"] },
      },
    });
    return started.tasks?.[0]?.taskArn as string;
  }

  async function statusOf(aws: ReturnType<typeof world>["aws"], taskArn: string) {
    return (await aws.ecs.describeTasks({ cluster: "production", tasks: [taskArn] })).tasks?.[0]?.desiredStatus;
  }

  function stateWith(launched: boolean, recorded: unknown[]) {
    return { cleanup: JSON.stringify({ ...target, launched, recorded }) };
  }

  it("stops a canary and deregisters its target that a killed main step left behind", async () => {
    const { sim, aws } = world();
    const taskArn = await startTask(aws, "cage:canary-task:web");
    await aws.elbv2.registerTargets({ TargetGroupArn: tg, Targets: [{ Id: "10.0.1.99", Port: 8080 }] });
    const state = stateWith(true, [
      { at: 0, type: "resource", kind: "canary-task", id: taskArn, detail: { cluster: "production" } },
      {
        at: 1,
        type: "resource",
        kind: "target-registration",
        id: `${tg}|10.0.1.99:8080`,
        detail: { taskArn, targetGroupArn: tg, targetId: "10.0.1.99", port: 8080 },
      },
    ]);

    const post = await runStep(() => runPost({ aws: () => aws, clock: sim.clock }), {}, { state });

    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`Cleaned up 1 canary task(s) of service 'web': ${taskArn}`);
    expect(await statusOf(aws, taskArn)).toBe("STOPPED");
    const health = await aws.elbv2.describeTargetHealth({
      TargetGroupArn: tg,
      Targets: [{ Id: "10.0.1.99", Port: 8080 }],
    });
    expect(["draining", "unused"]).toContain(health.TargetHealthDescriptions?.[0]?.TargetHealth?.State);
  });

  it("finds and stops a canary whose start was sent but never recorded (killed before RunTask answered)", async () => {
    const { sim, aws } = world();
    const taskArn = await startTask(aws, "cage:canary-task:web");
    const post = await runStep(() => runPost({ aws: () => aws, clock: sim.clock }), {}, { state: stateWith(true, []) });
    expect(post.exitCode).toBe(0);
    expect(await statusOf(aws, taskArn)).toBe("STOPPED");
  });

  it("stops the one-off task a killed `run` left behind", async () => {
    const { sim, aws } = world();
    const taskArn = await startTask(aws, "cage:run-task");
    const state = stateWith(true, [
      { at: 0, type: "resource", kind: "run-task", id: taskArn, detail: { cluster: "production" } },
    ]);
    const post = await runStep(() => runPost({ aws: () => aws, clock: sim.clock }), {}, { state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain(`task ${taskArn} deregistered and stopped`);
    expect(await statusOf(aws, taskArn)).toBe("STOPPED");
  });

  it("warns, naming what may be left, when it may not stop the canary", async () => {
    const { sim, aws } = world({
      iamPolicy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "*", Resource: "*" },
          { Effect: "Deny", Action: "ecs:StopTask", Resource: "*" },
        ],
      },
    });
    const taskArn = await startTask(aws, "cage:canary-task:web");
    const state = stateWith(true, [
      { at: 0, type: "resource", kind: "canary-task", id: taskArn, detail: { cluster: "production" } },
    ]);
    const post = await runStep(() => runPost({ aws: () => aws, clock: sim.clock }), {}, { state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/::warning::Cleanup of service 'web' left problems: .*ecs:StopTask/);
    expect(post.stdout).toContain(`Check for: task ${taskArn}; tasks started by cage-action/99 in cluster production.`);
    expect(await statusOf(aws, taskArn)).toBe("RUNNING");
  });
});
