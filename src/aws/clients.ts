/**
 * The one place AWS SDK clients are built: region, retries, user agent, endpoint and transport.
 * Retries happen in one layer, above the SDK: the engine's callAws and the audit's limiter back off on the
 * injected clock, within their deadlines and cancellation, and know which calls are safe to send again. So each
 * client sends a request once (maxAttempts 1); more SDK attempts would multiply theirs.
 * Each service's SDK module is imported on its first call, so a command loads only the clients it uses (the
 * bundled action starts faster: an audit never evaluates the EC2 client, the largest of the four).
 */
import type * as CW from "@aws-sdk/client-cloudwatch";
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as ECR from "@aws-sdk/client-ecr";
import type * as ECS from "@aws-sdk/client-ecs";
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsCredentialIdentity, RequestHandler } from "@smithy/types";
import type { AwsPorts, Call, CloudWatchPort, Ec2Port, EcrPort, EcsPort, Elbv2Port } from "./ports.js";

export interface AwsSettings {
  region: string;
  /** Per-service endpoint overrides (`ecs`, `ecr`, `elbv2`, `ec2`, `cloudwatch`), e.g. a local simulator. */
  endpoints?: Partial<Record<"ecs" | "ecr" | "elbv2" | "ec2" | "cloudwatch", string>>;
  /** An in-process transport (the simulator's request handler); sockets are used when absent. */
  requestHandler?: RequestHandler<any, any, any>;
  credentials?: AwsCredentialIdentity;
  /** Attempts per call inside the SDK; 1 unless a caller has no retries of its own. */
  maxAttempts?: number;
  userAgent?: string;
}

type Sendable = { send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any> };
type CommandClass = new (input: any) => unknown;

/**
 * A service whose SDK module `load` imports, and whose client `build` makes, both on the first call of any of its
 * operations; `op` names one operation by its command class in that module.
 */
function lazyService<M>(load: () => Promise<M>, build: (sdk: M) => Sendable) {
  let ready: Promise<{ sdk: M; client: Sendable }> | undefined;
  return <I, O>(command: (sdk: M) => CommandClass): Call<I, O> =>
    async (input, signal) => {
      ready ??= load().then((sdk) => ({ sdk, client: build(sdk) }));
      const { sdk, client } = await ready;
      const Command = command(sdk);
      return client.send(new Command(input), signal ? { abortSignal: signal } : undefined) as Promise<O>;
    };
}

function clientConfig(settings: AwsSettings, region: string, endpoint: string | undefined) {
  return {
    region,
    maxAttempts: settings.maxAttempts ?? 1,
    customUserAgent: settings.userAgent ?? "cage-action",
    ...(endpoint ? { endpoint } : {}),
    ...(settings.requestHandler ? { requestHandler: settings.requestHandler } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
}

export function createAwsPorts(settings: AwsSettings): AwsPorts {
  const e = settings.endpoints ?? {};
  const config = (endpoint: string | undefined, region = settings.region) => clientConfig(settings, region, endpoint);
  const onEcs = lazyService(
    (): Promise<typeof ECS> => import("@aws-sdk/client-ecs"),
    (sdk) => new sdk.ECSClient(config(e.ecs)),
  );
  const onElb = lazyService(
    (): Promise<typeof ELB> => import("@aws-sdk/client-elastic-load-balancing-v2"),
    (sdk) => new sdk.ElasticLoadBalancingV2Client(config(e.elbv2)),
  );
  const onEc2 = lazyService(
    (): Promise<typeof EC2> => import("@aws-sdk/client-ec2"),
    (sdk) => new sdk.EC2Client(config(e.ec2)),
  );
  const onCloudWatch = lazyService(
    (): Promise<typeof CW> => import("@aws-sdk/client-cloudwatch"),
    (sdk) => new sdk.CloudWatchClient(config(e.cloudwatch)),
  );
  const ecrPorts = new Map<string, EcrPort>();

  const ecs: EcsPort = {
    describeClusters: onEcs((sdk) => sdk.DescribeClustersCommand),
    describeServices: onEcs((sdk) => sdk.DescribeServicesCommand),
    createService: onEcs((sdk) => sdk.CreateServiceCommand),
    updateService: onEcs((sdk) => sdk.UpdateServiceCommand),
    registerTaskDefinition: onEcs((sdk) => sdk.RegisterTaskDefinitionCommand),
    describeTaskDefinition: onEcs((sdk) => sdk.DescribeTaskDefinitionCommand),
    listTaskDefinitions: onEcs((sdk) => sdk.ListTaskDefinitionsCommand),
    deregisterTaskDefinition: onEcs((sdk) => sdk.DeregisterTaskDefinitionCommand),
    runTask: onEcs((sdk) => sdk.RunTaskCommand),
    startTask: onEcs((sdk) => sdk.StartTaskCommand),
    stopTask: onEcs((sdk) => sdk.StopTaskCommand),
    describeTasks: onEcs((sdk) => sdk.DescribeTasksCommand),
    listTasks: onEcs((sdk) => sdk.ListTasksCommand),
    describeContainerInstances: onEcs((sdk) => sdk.DescribeContainerInstancesCommand),
    listContainerInstances: onEcs((sdk) => sdk.ListContainerInstancesCommand),
    continueServiceDeployment: onEcs((sdk) => sdk.ContinueServiceDeploymentCommand),
    stopServiceDeployment: onEcs((sdk) => sdk.StopServiceDeploymentCommand),
    listServiceDeployments: onEcs((sdk) => sdk.ListServiceDeploymentsCommand),
    describeServiceDeployments: onEcs((sdk) => sdk.DescribeServiceDeploymentsCommand),
    describeServiceRevisions: onEcs((sdk) => sdk.DescribeServiceRevisionsCommand),
  };
  const elbv2: Elbv2Port = {
    describeTargetGroups: onElb((sdk) => sdk.DescribeTargetGroupsCommand),
    describeTargetGroupAttributes: onElb((sdk) => sdk.DescribeTargetGroupAttributesCommand),
    registerTargets: onElb((sdk) => sdk.RegisterTargetsCommand),
    deregisterTargets: onElb((sdk) => sdk.DeregisterTargetsCommand),
    describeTargetHealth: onElb((sdk) => sdk.DescribeTargetHealthCommand),
    describeLoadBalancers: onElb((sdk) => sdk.DescribeLoadBalancersCommand),
    describeRules: onElb((sdk) => sdk.DescribeRulesCommand),
    describeListeners: onElb((sdk) => sdk.DescribeListenersCommand),
  };
  const ec2: Ec2Port = {
    describeSubnets: onEc2((sdk) => sdk.DescribeSubnetsCommand),
    describeInstances: onEc2((sdk) => sdk.DescribeInstancesCommand),
    describeSecurityGroups: onEc2((sdk) => sdk.DescribeSecurityGroupsCommand),
  };
  const ecrIn = (region: string): EcrPort => {
    let port = ecrPorts.get(region);
    if (!port) {
      const onEcr = lazyService(
        (): Promise<typeof ECR> => import("@aws-sdk/client-ecr"),
        (sdk) => new sdk.ECRClient(config(e.ecr, region)),
      );
      port = {
        batchGetImage: onEcr((sdk) => sdk.BatchGetImageCommand),
        describeImages: onEcr((sdk) => sdk.DescribeImagesCommand),
        describeImageScanFindings: onEcr((sdk) => sdk.DescribeImageScanFindingsCommand),
      };
      ecrPorts.set(region, port);
    }
    return port;
  };
  const cloudwatch: CloudWatchPort = {
    describeAlarms: onCloudWatch((sdk) => sdk.DescribeAlarmsCommand),
    getMetricData: onCloudWatch((sdk) => sdk.GetMetricDataCommand),
  };
  return { ecs, elbv2, ec2, cloudwatch, ecrIn };
}
