/** Resolves 'canary-instance-arn', which may be a container-instance ARN or ID, or an EC2 instance id. */

import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";

export interface ContainerInstance {
  arn: string;
  ec2InstanceId?: string;
}

export function isEc2InstanceId(ref: string): boolean {
  return /^i-[0-9a-f]{8,17}$/.test(ref);
}

export async function resolveContainerInstance(
  session: Session,
  cluster: string,
  ref: string,
): Promise<ContainerInstance> {
  const candidates = isEc2InstanceId(ref) ? await listedFor(session, cluster, ref) : [ref];
  const out = await callAws(session, "preflight", "ecs:DescribeContainerInstances", (signal) =>
    session.aws.ecs.describeContainerInstances({ cluster, containerInstances: candidates }, signal),
  );
  // The filter narrows the list; the instance id is checked again here rather than trusted.
  const instance = isEc2InstanceId(ref)
    ? out.containerInstances?.find((ci) => ci.ec2InstanceId === ref)
    : out.containerInstances?.[0];
  if (!instance?.containerInstanceArn) {
    throw new CageError(
      "refused",
      "preflight",
      isEc2InstanceId(ref)
        ? `EC2 instance ${ref} is not a container instance of cluster '${cluster}'.`
        : `Container instance '${ref}' was not found in cluster '${cluster}'${out.failures?.[0]?.reason ? ` (${inert(out.failures[0].reason)})` : ""}.`,
      `Give ${session.naming.input("canary-instance-arn")} a container-instance ARN or ID, or the EC2 instance id, of an instance registered to this cluster.`,
    );
  }
  if (instance.status && instance.status !== "ACTIVE") {
    throw new CageError(
      "refused",
      "preflight",
      `Container instance '${ref}' is ${instance.status}; ECS will not start a task on it.`,
      `Choose an ACTIVE instance for ${session.naming.input("canary-instance-arn")}.`,
    );
  }
  return { arn: instance.containerInstanceArn, ec2InstanceId: instance.ec2InstanceId };
}

async function listedFor(session: Session, cluster: string, ec2InstanceId: string): Promise<string[]> {
  const listed = await callAws(session, "preflight", "ecs:ListContainerInstances", (signal) =>
    session.aws.ecs.listContainerInstances({ cluster, filter: `ec2InstanceId == ${ec2InstanceId}` }, signal),
  );
  const arns = listed.containerInstanceArns ?? [];
  if (arns.length === 0) {
    throw new CageError(
      "refused",
      "preflight",
      `EC2 instance ${ec2InstanceId} is not a container instance of cluster '${cluster}'.`,
      `Give ${session.naming.input("canary-instance-arn")} an instance registered to this cluster (its container-instance ARN or EC2 instance id).`,
    );
  }
  return arns.slice(0, 100);
}

/** The EC2 instance a task runs on, for instance-type target groups. */
export async function ec2InstanceOf(session: Session, cluster: string, containerInstanceArn: string): Promise<string> {
  const out = await callAws(session, "target-registration", "ecs:DescribeContainerInstances", (signal) =>
    session.aws.ecs.describeContainerInstances({ cluster, containerInstances: [containerInstanceArn] }, signal),
  );
  const id = out.containerInstances?.[0]?.ec2InstanceId;
  if (!id) {
    throw new CageError(
      "canary-failed",
      "target-registration",
      `The EC2 instance behind container instance ${containerInstanceArn} could not be found.`,
    );
  }
  return id;
}
