/**
 * The ARNs a call acts on, where the request names them and IAM checks them (per the service authorization
 * reference): what a statement's `Resource` is matched against. `undefined` means the simulator does not know
 * them (or IAM checks only `*`), and statements then apply whatever their Resource.
 */
type Input = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;

function ecsResources(operation: string, input: Input, arn: (resource: string) => string): string[] | undefined {
  const clusterRef = str(input.cluster) ?? "default";
  const cluster = clusterRef.split("/").at(-1)!;
  const named = (kind: string) => (ref: string) => (ref.startsWith("arn:") ? ref : arn(`${kind}/${cluster}/${ref}`));
  const service = named("service");
  const task = named("task");
  const instance = named("container-instance");
  switch (operation) {
    case "CreateService":
      return str(input.serviceName) ? [service(str(input.serviceName)!)] : undefined;
    case "UpdateService":
    case "DeleteService":
    case "ListServiceDeployments":
      return str(input.service) ? [service(str(input.service)!)] : undefined;
    case "DescribeServices":
      return strs(input.services)?.map(service);
    case "DescribeServiceDeployments":
      return strs(input.serviceDeploymentArns);
    case "DescribeServiceRevisions":
      return strs(input.serviceRevisionArns);
    case "ContinueServiceDeployment":
    case "StopServiceDeployment":
      return str(input.serviceDeploymentArn) ? [str(input.serviceDeploymentArn)!] : undefined;
    case "DescribeClusters":
      return (strs(input.clusters) ?? ["default"]).map((c) => (c.startsWith("arn:") ? c : arn(`cluster/${c}`)));
    case "ListContainerInstances":
      return [clusterRef.startsWith("arn:") ? clusterRef : arn(`cluster/${cluster}`)];
    case "DescribeTasks":
      return strs(input.tasks)?.map(task);
    case "StopTask":
      return str(input.task) ? [task(str(input.task)!)] : undefined;
    case "DescribeContainerInstances":
      return strs(input.containerInstances)?.map(instance);
    case "RunTask":
    case "StartTask": {
      // family:revision or an ARN; a bare family names no revision the request could be matched on.
      const td = str(input.taskDefinition);
      if (!td || (!td.startsWith("arn:") && !td.includes(":"))) return undefined;
      return [td.startsWith("arn:") ? td : arn(`task-definition/${td}`)];
    }
    default:
      return undefined;
  }
}

function elbResources(operation: string, input: Input): string[] | undefined {
  switch (operation) {
    case "RegisterTargets":
    case "DeregisterTargets":
    case "ModifyTargetGroupAttributes":
    case "DeleteTargetGroup":
      return str(input.TargetGroupArn) ? [str(input.TargetGroupArn)!] : undefined;
    case "CreateListener":
      return str(input.LoadBalancerArn) ? [str(input.LoadBalancerArn)!] : undefined;
    case "CreateRule":
    case "ModifyListener":
    case "DeleteListener":
      return str(input.ListenerArn) ? [str(input.ListenerArn)!] : undefined;
    case "ModifyRule":
    case "DeleteRule":
      return str(input.RuleArn) ? [str(input.RuleArn)!] : undefined;
    default:
      return undefined;
  }
}

export function resourcesOf(
  signingName: string,
  operation: string,
  input: unknown,
  where: { region: string; accountId: string },
): string[] | undefined {
  const params = (typeof input === "object" && input !== null ? input : {}) as Input;
  const arn = (resource: string) => `arn:aws:ecs:${where.region}:${where.accountId}:${resource}`;
  if (signingName === "ecs") return ecsResources(operation, params, arn);
  if (signingName === "elasticloadbalancing") return elbResources(operation, params);
  return undefined;
}
