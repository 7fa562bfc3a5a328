/**
 * ARNs in the deploy context of another region than the run's, or of another account than the service's: a warning
 * in the log before anything changes, and none for the example, whose ARNs are all of the run's region and account.
 */
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { serviceWith, taskDefinitionWith, tempContext } from "../context/helpers.js";
import { demoWorld } from "./sim-io.js";

/** A rollout of `dir`; each log line with the number of mutating calls the simulator had answered when it came. */
async function rollout(dir: string) {
  const { sim, io, ports } = demoWorld();
  const lines: { text: string; mutationsBefore: number }[] = [];
  const record = (text: string) => lines.push({ text, mutationsBefore: sim.journal.mutations().length });
  const code = await deployCommand(
    parseCommandLine(["rollout", "--region", "us-east-1", dir], io.env),
    { ...io, out: record, err: record },
    ports,
  );
  return { code, lines, warnings: lines.filter((l) => /is in (region|account) /.test(l.text)) };
}

describe("ARNs of another region or account", () => {
  it("warns about a target group of another region before anything changes", async () => {
    const tg = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
    const dir = tempContext({
      "service.json": serviceWith((s) => {
        s.loadBalancers[0].targetGroupArn = tg;
      }),
    });
    const { warnings } = await rollout(dir);
    expect(warnings.map((w) => w.text)).toEqual([
      expect.stringContaining(
        `${dir}/service.json: loadBalancers[0].targetGroupArn is in region eu-west-1, but this run is in us-east-1; ECS cannot use elasticloadbalancing resources across regions. Fix the ARN, or run in eu-west-1.`,
      ),
    ]);
    expect(warnings[0]?.mutationsBefore).toBe(0);
  });

  it("warns about roles of another account than the service's before anything changes", async () => {
    const role = "arn:aws:iam::999999999999:role/web-execution";
    const dir = tempContext({
      "task-definition.json": taskDefinitionWith((td) => {
        td.executionRoleArn = role;
      }),
    });
    const { warnings } = await rollout(dir);
    expect(warnings.map((w) => w.text)).toEqual([
      expect.stringContaining(
        `${dir}/task-definition.json: executionRoleArn is in account 999999999999, but the service is in account 123456789012; ECS cannot use iam resources of another account. Fix the ARN, or use credentials for account 999999999999.`,
      ),
    ]);
    expect(warnings[0]?.mutationsBefore).toBe(0);
  });

  it("says nothing of secrets in another region, which ECS reads across regions, nor of the example's own ARNs", async () => {
    const secret = "arn:aws:ssm:eu-west-1:999999999999:parameter/web/database-url";
    const dir = tempContext({
      "task-definition.json": taskDefinitionWith((td) => {
        td.containerDefinitions[0].secrets[0].valueFrom = secret;
      }),
    });
    const { code, lines, warnings } = await rollout(dir);
    expect(code).toBe(0);
    expect(lines.length).toBeGreaterThan(5);
    expect(warnings).toEqual([]);
  });
});
