/** Issue 15 item 7 with independent clients: boto3 and the AWS CLI in another region see nothing of the demo. */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, serve } from "../../../src/sim/serve.js";
import { awsCli, boto, hasAwsCli, hasBoto3, hasMoto, startMoto } from "./tools.js";

const worldFile = fileURLToPath(new URL("../../../deploy-example/world.json", import.meta.url));
const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";

describe.skipIf(!hasBoto3 && !hasAwsCli)("another region through boto3 and the AWS CLI", { timeout: 90_000 }, () => {
  let running: RunningSimulator;
  beforeAll(async () => {
    running = await serve({ worldFile, port: 0, log: () => {} });
  });
  afterAll(() => running?.close());

  it.skipIf(!hasBoto3)(
    "boto3 in us-west-2 gets ECS's, ELBv2's and EC2's not-found errors; us-east-1 sees it all",
    async () => {
      const west = "us-west-2";
      const [clusters, services, tgs, subnets, home] = (await boto(running.url, [
        { service: "ecs", op: "describe_clusters", params: { clusters: ["production"] }, region: west },
        { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] }, region: west },
        { service: "elbv2", op: "describe_target_groups", params: { TargetGroupArns: [TG] }, region: west },
        { service: "ec2", op: "describe_subnets", params: { SubnetIds: ["subnet-0a1b2c3d4e5f60001"] }, region: west },
        { service: "ecs", op: "describe_services", params: { cluster: "production", services: ["web"] } },
      ])) as any[];
      expect(clusters.result).toEqual({
        clusters: [],
        failures: [{ arn: "arn:aws:ecs:us-west-2:123456789012:cluster/production", reason: "MISSING" }],
      });
      expect(services.error).toMatchObject({
        code: "ClusterNotFoundException",
        message: "Cluster not found.",
        status: 400,
      });
      expect(tgs.error).toMatchObject({ code: "TargetGroupNotFound", status: 400 });
      expect(subnets.error).toMatchObject({ code: "InvalidSubnetID.NotFound", status: 400 });
      expect(home.result.services[0]).toMatchObject({ serviceName: "web", runningCount: 2 });
    },
  );

  it.skipIf(!hasAwsCli)(
    "the AWS CLI with --region eu-west-1 cannot update the service, and changes nothing",
    async () => {
      const eu = await awsCli(
        running.url,
        ["ecs", "update-service", "--cluster", "production", "--service", "web", "--desired-count", "3"],
        {},
        "eu-west-1",
      );
      expect(eu.code).not.toBe(0);
      expect(eu.stderr).toContain("ClusterNotFoundException");
      const home = await awsCli(running.url, [
        "ecs",
        "describe-services",
        "--cluster",
        "production",
        "--services",
        "web",
      ]);
      expect(home.json.services[0]).toMatchObject({ desiredCount: 2 });
    },
  );

  it.skipIf(!hasBoto3 || !hasMoto)("answers from another region as moto_server does", async () => {
    const moto = await startMoto();
    try {
      await boto(moto.url, [{ service: "ecs", op: "create_cluster", params: { clusterName: "production" } }]);
      const calls = [
        { service: "ecs", op: "describe_clusters", params: { clusters: ["production"] }, region: "us-west-2" },
        {
          service: "ecs",
          op: "describe_services",
          params: { cluster: "production", services: ["web"] },
          region: "us-west-2",
        },
      ];
      const theirs = (await boto(moto.url, calls)) as any[];
      const ours = (await boto(running.url, calls)) as any[];
      expect(ours[0].result.failures.map((f: any) => f.reason)).toEqual(
        theirs[0].result.failures.map((f: any) => f.reason),
      );
      expect(ours[1].error.code).toBe(theirs[1].error.code);
    } finally {
      moto.stop();
    }
  });
});
