/** What verify reads about the load balancer entries: their target groups, load balancers and the tasks' groups. */
import type { SecurityGroup } from "@aws-sdk/client-ec2";
import type { LoadBalancer, TargetGroup } from "@aws-sdk/client-elastic-load-balancing-v2";
import { isAwsError } from "../engine/errors.js";
import { callAws } from "../engine/polling.js";
import type { Session } from "../engine/session.js";
import { targetGroupEntries } from "../engine/targets.js";
import { launchSourceOf } from "./checks-service.js";
import type { Facts, LoadBalancingFacts, Read } from "./types.js";

export async function readLoadBalancing(
  session: Session,
  facts: Facts,
  attempt: <T>(read: () => Promise<T>) => Promise<Read<T>>,
): Promise<LoadBalancingFacts | undefined> {
  const source = launchSourceOf(facts);
  const entries = targetGroupEntries(source?.loadBalancers);
  if (entries.length === 0) return undefined;
  const elbv2 = session.aws.elbv2;
  const targetGroups = await Promise.all(
    [...new Set(entries.map((e) => e.targetGroupArn))].map(async (arn) => ({
      arn,
      found: await attempt(async (): Promise<TargetGroup | undefined> => {
        try {
          const out = await callAws(session, "preflight", "elbv2:DescribeTargetGroups", (signal) =>
            elbv2.describeTargetGroups({ TargetGroupArns: [arn] }, signal),
          );
          return out.TargetGroups?.[0];
        } catch (error) {
          if (isAwsError(error, "TargetGroupNotFound", "TargetGroupNotFoundException")) return undefined;
          throw error;
        }
      }),
    })),
  );
  const lbArns = [...new Set(targetGroups.flatMap((t) => (t.found.ok ? (t.found.value?.LoadBalancerArns ?? []) : [])))];
  const loadBalancers: Read<LoadBalancer[]> =
    lbArns.length === 0
      ? { ok: true, value: [] }
      : await attempt(async () => {
          const out = await callAws(session, "preflight", "elbv2:DescribeLoadBalancers", (signal) =>
            elbv2.describeLoadBalancers({ LoadBalancerArns: lbArns }, signal),
          );
          return out.LoadBalancers ?? [];
        });
  const asked = source?.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
  const result: LoadBalancingFacts = { entries, targetGroups, loadBalancers };
  if (asked.length > 0) {
    const found = await attempt(async (): Promise<SecurityGroup[]> => {
      const out = await callAws(session, "preflight", "ec2:DescribeSecurityGroups", (signal) =>
        session.aws.ec2.describeSecurityGroups({ GroupIds: asked }, signal),
      );
      return out.SecurityGroups ?? [];
    });
    result.taskGroups = { asked, found };
  }
  return result;
}
