/** Small hand-written operation handlers that exercise the wire layer until tests drive the real world. */
import { SIM_ENDPOINT, type WorldLike } from "../../src/sim/simulator.js";
import { type Operations, SimError } from "../../src/sim/types.js";

export const TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/abc";

export function testWorld(extra: Partial<WorldLike> = {}): WorldLike {
  const operations: Operations = {
    ecs: {
      DescribeTasks: (input: { cluster?: string; tasks: string[] }, ctx) => {
        if (input.cluster === "missing") throw new SimError("ClusterNotFoundException", "Cluster not found.");
        return {
          tasks: input.tasks.map((id) => ({
            taskArn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${input.cluster ?? "default"}/${id}`,
            lastStatus: "RUNNING",
            createdAt: new Date(ctx.now),
            cpu: "256",
            containers: [{ name: "app", exitCode: 0 }],
            attachments: [
              { type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: "10.0.1.5" }] },
            ],
            unknownExtra: "dropped",
          })),
          failures: [],
        };
      },
      ListTasks: (input: { cluster?: string; nextToken?: string; maxResults?: number }) => {
        const all = ["t1", "t2", "t3"].map((t) => `arn:aws:ecs:us-east-1:123456789012:task/c/${t}`);
        const start = input.nextToken ? Number(input.nextToken) : 0;
        const size = input.maxResults ?? 100;
        const page = all.slice(start, start + size);
        return { taskArns: page, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) };
      },
      UpdateService: () => {
        throw new Error("boom");
      },
    },
    ecr: {
      DescribeImageScanFindings: (input: { repositoryName: string }) => ({
        repositoryName: input.repositoryName,
        imageScanStatus: { status: "COMPLETE" },
        imageScanFindings: {
          imageScanCompletedAt: new Date(Date.UTC(2026, 0, 2)),
          findingSeverityCounts: { HIGH: 2, CRITICAL: 1 },
          findings: [{ name: "CVE-2026-1", severity: "HIGH", attributes: [{ key: "package_name", value: "openssl" }] }],
        },
      }),
    },
    elbv2: {
      DescribeTargetHealth: (input: { TargetGroupArn: string; Targets?: { Id: string; Port?: number }[] }) => {
        if (input.TargetGroupArn !== TG_ARN)
          throw new SimError("TargetGroupNotFound", "One or more target groups not found");
        return {
          TargetHealthDescriptions: (input.Targets ?? [{ Id: "10.0.1.5", Port: 8080 }]).map((t) => ({
            Target: t,
            HealthCheckPort: "8080",
            TargetHealth: { State: "healthy" },
          })),
        };
      },
      RegisterTargets: () => ({}),
      DescribeTargetGroups: (input: { Names?: string[]; Marker?: string; PageSize?: number }) => ({
        TargetGroups: (input.Names ?? ["tg"]).map((name) => ({
          TargetGroupArn: TG_ARN,
          TargetGroupName: name,
          Port: 80,
          HealthCheckEnabled: true,
          LoadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb/1"],
        })),
        ...(input.Marker ? {} : { NextMarker: "m1" }),
      }),
    },
    ec2: {
      DescribeSubnets: (input: { SubnetIds?: string[]; Filters?: { Name: string; Values: string[] }[] }) => {
        const ids = input.SubnetIds ?? ["subnet-a"];
        if (ids.includes("subnet-missing")) {
          throw new SimError("InvalidSubnetID.NotFound", "The subnet ID 'subnet-missing' does not exist");
        }
        return {
          Subnets: ids.map((id) => ({
            SubnetId: id,
            VpcId: input.Filters?.[0]?.Values[0] ?? "vpc-1",
            AvailableIpAddressCount: 251,
            DefaultForAz: false,
            Tags: [{ Key: "Name", Value: "private-a" }],
          })),
        };
      },
    },
  };
  return { operations, snapshot: () => ({ tasks: 3 }), ...extra };
}

/** An SDK client's config that sends every call in-process to `sim`, once (no SDK retries). */
export function simClientConfig(sim: { requestHandler: unknown }) {
  return {
    region: "us-east-1",
    endpoint: SIM_ENDPOINT,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: sim.requestHandler as never,
    maxAttempts: 1,
  };
}
