/** ECS's ServiceDeployments API: ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions. */
import type * as ECS from "@aws-sdk/client-ecs";
import { ecsEnums } from "../../models.js";
import { type OpHandler, SimError } from "../../types.js";
import { failDeployment } from "../breaker.js";
import { paginate, required } from "../common.js";
import { isNative, rollBackNative } from "../native.js";
import {
  revisionOrigin,
  serviceDeploymentBrief,
  serviceDeploymentsOf,
  serviceDeploymentView,
  serviceRevisionView,
} from "../revisions.js";
import { reconcile } from "../scheduler.js";
import type { Deployment, Service, WorldState } from "../state.js";
import { serviceOf } from "./ecs-services.js";

function atMost(items: string[], max: number, member: string): void {
  if (items.length > max) {
    throw new SimError("InvalidParameterException", `${member} can have at most ${max} items.`);
  }
}

/** The service and service deployment an ARN names, as long as the service exists. */
export function serviceDeploymentOf(state: WorldState, arn: string): { svc: Service; d: Deployment } | undefined {
  for (const svc of state.services.values()) {
    const d = serviceDeploymentsOf(svc).find((x) => x.serviceDeploymentArn === arn);
    if (d) return { svc, d };
  }
  return undefined;
}

export function serviceDeploymentOps(state: WorldState, now: () => number): Record<string, OpHandler> {
  return {
    ListServiceDeployments: (input: ECS.ListServiceDeploymentsCommandInput): ECS.ListServiceDeploymentsResponse => {
      const svc = serviceOf(state, input.cluster, required(input.service, "service"));
      const statuses = Object.values(ecsEnums.ServiceDeploymentStatus) as string[];
      for (const status of input.status ?? []) {
        if (!statuses.includes(status)) {
          throw new SimError("InvalidParameterException", `Invalid status: ${status}.`);
        }
      }
      if (input.maxResults !== undefined && (input.maxResults < 1 || input.maxResults > 100)) {
        throw new SimError("InvalidParameterException", "maxResults must be between 1 and 100.");
      }
      const after = input.createdAt?.after?.getTime() ?? Number.NEGATIVE_INFINITY;
      const before = input.createdAt?.before?.getTime() ?? Number.POSITIVE_INFINITY;
      const all = serviceDeploymentsOf(svc).filter(
        (d) =>
          (!input.status?.length || input.status.includes(d.serviceDeploymentStatus as ECS.ServiceDeploymentStatus)) &&
          d.createdAt >= after &&
          d.createdAt <= before,
      );
      const { page, nextToken } = paginate(all, input.nextToken, input.maxResults, 20);
      return { serviceDeployments: page.map((d) => serviceDeploymentBrief(state, svc, d)), nextToken };
    },
    DescribeServiceDeployments: (input: ECS.DescribeServiceDeploymentsCommandInput) => {
      const arns = required(input.serviceDeploymentArns, "serviceDeploymentArns");
      atMost(arns, 20, "serviceDeploymentArns");
      const serviceDeployments: ECS.ServiceDeployment[] = [];
      const failures: ECS.Failure[] = [];
      for (const arn of arns) {
        const found = serviceDeploymentOf(state, arn);
        if (found) serviceDeployments.push(serviceDeploymentView(state, found.svc, found.d, now()));
        else failures.push({ arn, reason: "MISSING" });
      }
      return { serviceDeployments, failures };
    },
    ContinueServiceDeployment: (input: ECS.ContinueServiceDeploymentCommandInput) => {
      const arn = required(input.serviceDeploymentArn, "serviceDeploymentArn");
      const found = serviceDeploymentOf(state, arn);
      if (!found) throw new SimError("ServiceDeploymentNotFoundException", "The service deployment does not exist.");
      const { svc, d } = found;
      const hook = d.hookDetails?.find((h) => h.hookId === input.hookId);
      if (!hook) throw new SimError("InvalidParameterException", `The hook ${input.hookId} was not found.`);
      if (d.serviceDeploymentStatus !== "IN_PROGRESS") {
        throw new SimError("InvalidParameterException", "The service deployment must be in the IN_PROGRESS state.");
      }
      if (hook.targetType !== "PAUSE" || hook.status !== "AWAITING_ACTION") {
        throw new SimError(
          "InvalidParameterException",
          "The lifecycle hook must be a pause hook in AWAITING_ACTION status.",
        );
      }
      const action = input.action ?? "CONTINUE";
      if (action !== "CONTINUE" && action !== "ROLLBACK") {
        throw new SimError(
          "InvalidParameterException",
          `Invalid action: ${action}. Valid values are CONTINUE, ROLLBACK.`,
        );
      }
      hook.status = "SUCCEEDED";
      if (action === "ROLLBACK")
        rollBackNative(state, svc, d, now(), `Lifecycle hook ${hook.hookId} asked to roll back.`);
      reconcile(state, svc, now());
      return { serviceDeploymentArn: arn };
    },
    StopServiceDeployment: (input: ECS.StopServiceDeploymentCommandInput) => {
      const arn = required(input.serviceDeploymentArn, "serviceDeploymentArn");
      const found = serviceDeploymentOf(state, arn);
      if (!found) throw new SimError("ServiceDeploymentNotFoundException", "The service deployment does not exist.");
      const { svc, d } = found;
      if (d.serviceDeploymentStatus !== "IN_PROGRESS" && d.serviceDeploymentStatus !== "PENDING") {
        throw new SimError(
          "ConflictException",
          `The service deployment is ${d.serviceDeploymentStatus}: it can't be stopped.`,
        );
      }
      const stopType = input.stopType ?? "ROLLBACK";
      const reason = "Service deployment stopped by StopServiceDeployment.";
      if (stopType === "ROLLBACK" && isNative(d)) rollBackNative(state, svc, d, now(), reason);
      else
        failDeployment(state, svc, d, now(), {
          reason,
          rollback: stopType === "ROLLBACK",
          rollbackReason: `${reason} Rolling back to the last completed deployment.`,
        });
      reconcile(state, svc, now());
      return { serviceDeploymentArn: arn };
    },
    DescribeServiceRevisions: (
      input: ECS.DescribeServiceRevisionsCommandInput,
    ): ECS.DescribeServiceRevisionsResponse => {
      const arns = required(input.serviceRevisionArns, "serviceRevisionArns");
      atMost(arns, 20, "serviceRevisionArns");
      const serviceRevisions: ECS.ServiceRevision[] = [];
      const failures: ECS.Failure[] = [];
      for (const arn of arns) {
        const svc = [...state.services.values()].find((s) => s.deployments.some((d) => d.revisionArn === arn));
        const origin = svc && revisionOrigin(svc, arn);
        if (svc && origin) serviceRevisions.push(serviceRevisionView(state, svc, origin));
        else failures.push({ arn, reason: "MISSING" });
      }
      return { serviceRevisions, failures };
    },
  };
}
