/** `cage verify` against the demo world: each way a rollout would fail that verify can see, as an [NG] line. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { verifyCommand } from "../../src/cli/commands/verify.js";
import { DEMO_WORLD } from "../fixtures/demo-world.js";
import { demoWorld } from "./sim-io.js";

const BASE = ["verify", "--region", "us-east-1"];

function setup(variant?: string, world?: unknown) {
  const w = demoWorld(variant, world ? { world } : {});
  const run = async (argv: string[], env: Record<string, string> = {}) => {
    w.io.env = { ...w.io.env, ...env };
    return verifyCommand(parseCommandLine(argv, w.io.env), w.io, w.ports);
  };
  const line = (status: string, name: string) => w.out.find((l) => l.startsWith(`[${status}]`) && l.includes(name));
  return { ...w, run, line };
}

/** deploy-example copied, with one file changed. */
function contextWith(file: "service.json" | "task-definition.json", change: (json: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "cage-verify-"));
  cpSync("deploy-example", dir, { recursive: true });
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, "utf8"));
  change(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

describe("cage verify", () => {
  it("passes the demo with only read calls, one line per check", async () => {
    const { sim, out, run, line } = setup();
    expect(await run([...BASE, "deploy-example"])).toBe(0);
    expect(out.filter((l) => l.startsWith("[NG]"))).toEqual([]);
    expect(line("OK", "cluster production is ACTIVE")).toBeDefined();
    expect(line("OK", "service web exists")).toBeDefined();
    expect(line("OK", "image of app exists")).toContain("web:v2");
    expect(line("SKIP", "image of log-router exists")).toContain("public.ecr.aws");
    expect(line("SKIP", "roles exist")).toContain("needs IAM");
    expect(out.at(-1)).toMatch(/^verify passed: 0 NG, \d+ OK, \d+ SKIP$/);
    expect(sim.journal.calls().length).toBeGreaterThan(5);
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("fails on an image tag that is not in ECR", async () => {
    const { err, run, line } = setup();
    expect(await run([...BASE, "deploy-example"], { IMAGE_TAG: "v3" })).toBe(1);
    expect(line("NG", "image of app exists")).toMatch(/web:v3\): .*(ImageNotFound|not found|no image)/i);
    expect(line("SKIP", "scan of app")).toContain("the image was not found");
    expect(err.at(-1)).toMatch(/^verify failed: 1 NG/);
  });

  it("fails when the image index has no manifest for the task's CPU architecture", async () => {
    const world = structuredClone(DEMO_WORLD);
    world.variants["arm64-only"] = {
      description: "web:v2 is a manifest list for linux/arm64 only.",
      ecr: {
        repositories: [
          {
            name: "web",
            images: [
              { tags: ["v1"], scan: { status: "COMPLETE" } },
              { tags: ["v2"], index: { kind: "docker", platforms: ["linux/arm64"] }, scan: { status: "COMPLETE" } },
            ],
          },
        ],
      },
    };
    const { run, line } = setup("arm64-only", world);
    expect(await run([...BASE, "deploy-example"])).toBe(1);
    expect(line("OK", "image of app exists")).toBeDefined();
    expect(line("NG", "image of app runs on linux/amd64")).toContain(
      "has no linux/amd64 manifest (it has linux/arm64)",
    );
  });

  it("passes a multi-arch image that has the task's platform", async () => {
    const { run, line } = setup("multi-arch");
    expect(await run([...BASE, "deploy-example"])).toBe(0);
    expect(line("OK", "image of app runs on linux/amd64")).toContain("the index has linux/amd64");
  });

  it("fails when a finding reaches --fail-on, with the audit's verdict", async () => {
    const { run, line } = setup();
    expect(await run([...BASE, "--fail-on", "low", "deploy-example"])).toBe(1);
    expect(line("NG", "scan of app passes --fail-on low")).toContain("CVE-2024-2511");
    const again = setup();
    expect(await again.run([...BASE, "--fail-on", "medium", "deploy-example"])).toBe(0);
  });

  it("applies the ignore file as the audit does: an ignored finding no longer fails --fail-on", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cage-verify-")), "ignore.yml");
    writeFileSync(file, "ignores:\n  - id: CVE-2024-2511\n    reason: not reachable\n");
    const { run, line } = setup();
    expect(await run([...BASE, "--fail-on", "low", "--ignore-file", file, "deploy-example"])).toBe(0);
    expect(line("OK", "scan of app passes --fail-on low")).toBeDefined();
  });

  it("fails on a subnet that does not exist", async () => {
    const dir = contextWith("service.json", (s) => {
      s.networkConfiguration.awsvpcConfiguration.subnets = ["subnet-0a1b2c3d4e5f60001", "subnet-0000000000000dead"];
    });
    const { sim, run, line } = setup();
    expect(await run([...BASE, "--update-service", dir])).toBe(1);
    expect(line("NG", "subnets exist")).toContain("not found: subnet-0000000000000dead");
    expect(sim.journal.mutations()).toEqual([]);
  });

  it("fails when the subnets have no free address for the canary and the surge", async () => {
    const { run, line } = setup("no-free-ips");
    expect(await run([...BASE, "deploy-example"])).toBe(1);
    expect(line("NG", "subnets have free addresses")).toMatch(
      /3 needed \(1 canary \+ 2 more task\(s\) at maximumPercent 200 of 2\), 0 free/,
    );
  });

  it("fails without an executionRoleArn when awslogs, secrets and a private ECR image need one", async () => {
    const dir = contextWith("task-definition.json", (td) => {
      delete td.executionRoleArn;
    });
    const { run, line } = setup();
    expect(await run([...BASE, dir])).toBe(1);
    expect(line("NG", "executionRoleArn is set where needed")).toContain(
      "missing, and needed for awslogs (app), secrets (app), private ECR (app)",
    );
  });

  it("fails when the canary instance has too little memory for the task", async () => {
    const dir = contextWith("task-definition.json", (td) => {
      td.memory = "16384";
      td.requiresCompatibilities = ["EC2"];
    });
    const { run, line } = setup("placement-memory");
    expect(await run([...BASE, "--canary-instance-arn", "i-0a1b2c3d4e5f60011", dir])).toBe(1);
    expect(line("NG", "canary instance i-0a1b2c3d4e5f60011 has room")).toMatch(/memory 16384 MiB > \d+ MiB left/);
  });

  it("fails on a cluster that does not exist", async () => {
    const { run, line } = setup();
    expect(await run([...BASE, "--cluster", "nowhere", "deploy-example"])).toBe(1);
    expect(line("NG", "cluster nowhere is ACTIVE")).toContain("no cluster nowhere");
  });

  it("reports a deploy context that does not load as [NG] and checks nothing else", async () => {
    const dir = contextWith("task-definition.json", (td) => {
      td.containerDefinitions[0].portMappings = "8080";
    });
    const { sim, out, run } = setup();
    expect(await run([...BASE, dir])).toBe(1);
    expect(out[0]).toMatch(/^\[NG\] {3}deploy context is valid: .*task-definition\.json/);
    expect(sim.journal.calls()).toEqual([]);
  });

  it("runs under the README's IAM policy: no line is [NG] and none says a read was denied", async () => {
    const { sim, run, out } = setup();
    const world = sim.world as { iamPolicy?: unknown };
    world.iamPolicy = JSON.parse(readFileSync("iam-policy.json", "utf8"));
    sim.replaceWorld(sim.world);
    expect(await run([...BASE, "deploy-example"])).toBe(0);
    expect(out.filter((l) => l.startsWith("[NG]"))).toEqual([]);
    expect(out.filter((l) => /denied/.test(l))).toEqual([]);
    expect(out.filter((l) => l.startsWith("[OK]   target group web-tg"))).toHaveLength(3);
  });

  it("without ecs:DescribeClusters the cluster line is [SKIP] and says it was denied", async () => {
    const { sim, run, line } = setup();
    const policy = JSON.parse(readFileSync("iam-policy.json", "utf8"));
    for (const s of policy.Statement) s.Action = s.Action.filter((a: string) => a !== "ecs:DescribeClusters");
    const world = sim.world as { iamPolicy?: unknown };
    world.iamPolicy = policy;
    sim.replaceWorld(sim.world);
    expect(await run([...BASE, "deploy-example"])).toBe(0);
    expect(line("SKIP", "cluster production is ACTIVE")).toContain("ecs:DescribeClusters was denied");
  });

  it("checks each load balancer entry: a container port without a port mapping is [NG] naming the mappings", async () => {
    const dir = contextWith("service.json", (service) => {
      service.loadBalancers[0].containerPort = 9999;
    });
    const { run, line } = setup();
    expect(await run([...BASE, "--update-service", dir])).toBe(1);
    expect(line("NG", "container app has port 9999")).toContain("its port mappings are 8080");
  });

  it("with --update-service, service.json's security group that keeps the load balancer out is [NG]", async () => {
    const { run, line } = setup("security-group-blocks");
    expect(await run([...BASE, "--update-service", "deploy-example"])).toBe(1);
    expect(line("NG", "load balancer can reach container app on port 8080")).toContain(
      "no ingress rule of sg-0123456789abcdef0 allows tcp 8080 from sg-0fedcba9876543210",
    );
  });

  it("a target group that does not exist is [NG], and its later lines are [SKIP]", async () => {
    const dir = contextWith("service.json", (service) => {
      service.loadBalancers[0].targetGroupArn =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gone-tg/0000000000000000";
    });
    const { run, line } = setup();
    expect(await run([...BASE, "--update-service", dir])).toBe(1);
    expect(line("NG", "target group gone-tg exists")).toContain("not found");
    expect(line("SKIP", "target group gone-tg is behind a load balancer")).toContain("could not be read");
  });

  it("writes the checklist as JSON and as a markdown table", async () => {
    const summary = join(mkdtempSync(join(tmpdir(), "cage-verify-")), "summary.md");
    const { out, run } = setup("no-free-ips");
    expect(await run([...BASE, "--json", "--summary", summary, "deploy-example"])).toBe(1);
    const report = JSON.parse(out.join("\n"));
    expect(report.counts.NG).toBe(1);
    expect(report.checks.find((c: { status: string }) => c.status === "NG").name).toBe("subnets have free addresses");
    const markdown = readFileSync(summary, "utf8");
    expect(markdown).toContain("### Verify failed");
    expect(markdown).toMatch(/\| `NG` \| subnets have free addresses \| 3 needed/);
  });
});
