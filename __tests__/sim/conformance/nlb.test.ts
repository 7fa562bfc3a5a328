/** boto3 and the AWS CLI against `cage sim serve`: a Network Load Balancer, its TCP listener, and ECS shifting it. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { NLB, NLB_LISTENER, nlbWorldJson } from "../../fixtures/nlb-world.js";
import { BLUE_TG, GREEN_TG } from "./listener-world.js";
import { awsCli, boto, hasAwsCli, hasBoto3 } from "./tools.js";

const note = hasBoto3 && hasAwsCli ? "" : " (skipped: needs python3 with boto3 and the aws CLI)";
const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
const forward = (blue: number, green: number) => [
  {
    Type: "forward",
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: BLUE_TG, Weight: blue },
        { TargetGroupArn: GREEN_TG, Weight: green },
      ],
    },
  },
];

describe.skipIf(!hasBoto3 || !hasAwsCli)(`a Network Load Balancer over HTTP${note}`, { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cage-nlb-")), "world.json");
    writeFileSync(file, JSON.stringify(nlbWorldJson()));
    running = await serve({ worldFile: file, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());

  it("creates and describes NLBs without security groups and TCP listeners; refuses HTTP and rules on them", async () => {
    const [described, created] = (await boto(running.url, [
      { service: "elbv2", op: "describe_load_balancers", params: { LoadBalancerArns: [NLB] } },
      { service: "elbv2", op: "create_load_balancer", params: { Name: "api-nlb", Type: "network", Subnets: SUBNETS } },
    ])) as any[];
    expect(described.result.LoadBalancers[0]).toMatchObject({ LoadBalancerName: "web-nlb", Type: "network" });
    expect(described.result.LoadBalancers[0]).not.toHaveProperty("SecurityGroups");
    const arn = created.result.LoadBalancers[0].LoadBalancerArn as string;
    expect(arn).toMatch(/:loadbalancer\/net\/api-nlb\//);
    const [tcp, http, rule] = (await boto(running.url, [
      {
        service: "elbv2",
        op: "create_listener",
        params: { LoadBalancerArn: arn, Protocol: "TCP", Port: 443, DefaultActions: forward(100, 0) },
      },
      {
        service: "elbv2",
        op: "create_listener",
        params: { LoadBalancerArn: arn, Protocol: "HTTP", Port: 80, DefaultActions: forward(100, 0) },
      },
      {
        service: "elbv2",
        op: "create_rule",
        params: {
          ListenerArn: NLB_LISTENER,
          Priority: 1,
          Conditions: [{ Field: "path-pattern", Values: ["/*"] }],
          Actions: forward(0, 100),
        },
      },
    ])) as any[];
    expect(tcp.result.Listeners[0]).toMatchObject({ Protocol: "TCP", Port: 443 });
    expect(tcp.result.Listeners[0].ListenerArn).toMatch(/:listener\/net\/api-nlb\//);
    expect(http.error).toMatchObject({ code: "UnsupportedProtocol" });
    expect(http.error.message).toContain("a Network Load Balancer");
    expect(rule.error).toMatchObject({ code: "ValidationError" });
  });

  it("ECS rewrites the NLB listener's default weights in a BLUE_GREEN deployment, as describe-listeners shows", async () => {
    const [updated] = (await boto(running.url, [
      {
        service: "ecs",
        op: "update_service",
        params: { cluster: "production", service: "web", taskDefinition: "web:2" },
      },
    ])) as any[];
    const arn = updated.result.service.currentServiceDeployment as string;
    await fetch(`${running.url}/_sim/advance`, { method: "POST", body: JSON.stringify({ seconds: 600 }) });
    const listeners = await awsCli(running.url, ["elbv2", "describe-listeners", "--listener-arns", NLB_LISTENER]);
    expect(listeners.code, listeners.stderr).toBe(0);
    const [listener] = JSON.parse(listeners.stdout).Listeners;
    expect(listener.Protocol).toBe("TCP");
    expect(listener.DefaultActions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: BLUE_TG, Weight: 0 },
      { TargetGroupArn: GREEN_TG, Weight: 100 },
    ]);
    const [done] = (await boto(running.url, [
      { service: "ecs", op: "describe_service_deployments", params: { serviceDeploymentArns: [arn] } },
    ])) as any[];
    expect(done.result.serviceDeployments[0].status).toBe("SUCCESSFUL");
  });
});
