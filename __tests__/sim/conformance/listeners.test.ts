/** boto3 and the AWS CLI managing ELBv2 listeners and weighted listener rules against `cage sim serve`. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { BLUE_TG, GREEN_TG, LB, LISTENER, PROD_RULE, TEST_RULE, writeListenerWorld } from "./listener-world.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

const note = hasBoto3 && hasAwsCli ? "" : " (skipped: needs python3 with boto3 and the aws CLI)";
const weighted = (...groups: [string, number][]) => [
  {
    Type: "forward",
    ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) },
  },
];

describe.skipIf(!hasBoto3 || !hasAwsCli)(`ELBv2 listeners and rules over HTTP${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile: writeListenerWorld(), port: 0, log: () => {} });
  });
  afterAll(() => running?.close());
  const cli = (...args: string[]) => awsCli(running.url, args);

  it("describes the world file's listener and its rules by priority, the default rule last, weights in ForwardConfig", async () => {
    const [listeners, rules, green] = (await boto(running.url, [
      { service: "elbv2", op: "describe_listeners", params: { LoadBalancerArn: LB } },
      { service: "elbv2", op: "describe_rules", params: { ListenerArn: LISTENER } },
      { service: "elbv2", op: "describe_target_groups", params: { TargetGroupArns: [GREEN_TG] } },
    ])) as any[];
    expect(listeners.result.Listeners).toEqual([
      {
        ListenerArn: LISTENER,
        LoadBalancerArn: LB,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }],
      },
    ]);
    expect(rules.result.Rules.map((r: any) => [r.RuleArn, r.Priority, r.IsDefault])).toEqual([
      [TEST_RULE, "5", false],
      [PROD_RULE, "10", false],
      [expect.stringContaining(":listener-rule/app/web-alb/"), "default", true],
    ]);
    expect(rules.result.Rules[1].Actions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: BLUE_TG, Weight: 100 },
      { TargetGroupArn: GREEN_TG, Weight: 0 },
    ]);
    expect(rules.result.Rules[1].Conditions[0]).toEqual({
      Field: "path-pattern",
      Values: ["/*"],
      PathPatternConfig: { Values: ["/*"] },
    });
    // A group at weight 0 is still behind the load balancer (and health-checked).
    expect(green.result.TargetGroups[0].LoadBalancerArns).toEqual([LB]);
  });

  it("creates, shifts, describes and deletes a weighted rule with boto3", async () => {
    const [created] = (await boto(running.url, [
      {
        service: "elbv2",
        op: "create_rule",
        params: {
          ListenerArn: LISTENER,
          Priority: 20,
          Conditions: [{ Field: "host-header", Values: ["api.example.com"] }],
          Actions: weighted([BLUE_TG, 90], [GREEN_TG, 10]),
        },
      },
    ])) as any[];
    const arn = created.result.Rules[0].RuleArn as string;
    expect(arn.startsWith(LISTENER.replace(":listener/", ":listener-rule/"))).toBe(true);
    const [modified, described, deleted, gone] = (await boto(running.url, [
      { service: "elbv2", op: "modify_rule", params: { RuleArn: arn, Actions: weighted([BLUE_TG, 0], [GREEN_TG, 1]) } },
      { service: "elbv2", op: "describe_rules", params: { RuleArns: [arn] } },
      { service: "elbv2", op: "delete_rule", params: { RuleArn: arn } },
      { service: "elbv2", op: "describe_rules", params: { RuleArns: [arn] } },
    ])) as any[];
    expect(modified.result.Rules[0].Actions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: BLUE_TG, Weight: 0 },
      { TargetGroupArn: GREEN_TG, Weight: 1 },
    ]);
    expect(described.result.Rules[0]).toMatchObject({ Priority: "20", IsDefault: false });
    expect(described.result.Rules[0].Actions[0].ForwardConfig.TargetGroupStickinessConfig).toEqual({ Enabled: false });
    expect(deleted.result).toEqual({});
    expect(gone.error).toMatchObject({ code: "RuleNotFound", status: 400 });
  });

  it("refuses what ELBv2 refuses, with its error codes, and changes nothing", async () => {
    const out = (await boto(running.url, [
      {
        service: "elbv2",
        op: "create_rule",
        params: {
          ListenerArn: LISTENER,
          Priority: 10,
          Conditions: [{ Field: "path-pattern", Values: ["/x"] }],
          Actions: weighted([BLUE_TG, 1]),
        },
      },
      {
        service: "elbv2",
        op: "create_rule",
        params: {
          ListenerArn: LISTENER,
          Priority: 30,
          Conditions: [{ Field: "path-pattern", Values: ["/x"] }],
          Actions: weighted([BLUE_TG.replace("web-tg", "nope"), 1]),
        },
      },
      {
        service: "elbv2",
        op: "modify_rule",
        params: { RuleArn: PROD_RULE, Actions: weighted([BLUE_TG, 1000], [GREEN_TG, 0]) },
      },
      { service: "elbv2", op: "delete_rule", params: { RuleArn: TEST_RULE.replace(/[0-9a-f]{16}$/, "0".repeat(16)) } },
      { service: "elbv2", op: "describe_rules", params: { RuleArns: [PROD_RULE] } },
    ])) as any[];
    expect(out.slice(0, 4).map((o) => o.error?.code)).toEqual([
      "PriorityInUse",
      "TargetGroupNotFound",
      "ValidationError",
      "RuleNotFound",
    ]);
    expect(out[4].result.Rules[0].Actions[0].ForwardConfig.TargetGroups.map((t: any) => t.Weight)).toEqual([100, 0]);
  });

  it("creates a listener with a weighted default action and reads it back with the AWS CLI", async () => {
    const created = await cli(
      "elbv2",
      "create-listener",
      "--load-balancer-arn",
      LB,
      "--protocol",
      "HTTP",
      "--port",
      "8080",
      "--default-actions",
      JSON.stringify(weighted([BLUE_TG, 1], [GREEN_TG, 3])),
    );
    expect(created.code, created.stderr).toBe(0);
    const arn = created.json.Listeners[0].ListenerArn as string;
    const rules = await cli("elbv2", "describe-rules", "--listener-arn", arn);
    expect(rules.json.Rules).toHaveLength(1);
    expect(rules.json.Rules[0]).toMatchObject({ Priority: "default", IsDefault: true, Conditions: [] });
    expect(rules.json.Rules[0].Actions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: BLUE_TG, Weight: 1 },
      { TargetGroupArn: GREEN_TG, Weight: 3 },
    ]);
    const again = await cli(
      "elbv2",
      "create-listener",
      "--load-balancer-arn",
      LB,
      "--protocol",
      "HTTP",
      "--port",
      "8080",
      "--default-actions",
      JSON.stringify(weighted([BLUE_TG, 1])),
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("DuplicateListener");
    const deleteDefault = await cli("elbv2", "delete-rule", "--rule-arn", rules.json.Rules[0].RuleArn);
    expect(deleteDefault.stderr).toContain("OperationNotPermitted");
    expect((await cli("elbv2", "delete-listener", "--listener-arn", arn)).code).toBe(0);
    const listeners = await cli("elbv2", "describe-listeners", "--load-balancer-arn", LB);
    expect(listeners.json.Listeners.map((l: any) => l.ListenerArn)).toEqual([LISTENER]);
  });
});
