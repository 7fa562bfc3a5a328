/** The one place AWS SDK clients are built: region, retries, user agent, endpoint and transport. */
import * as EC2 from "@aws-sdk/client-ec2";
import * as ECR from "@aws-sdk/client-ecr";
import * as ECS from "@aws-sdk/client-ecs";
import * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AwsCredentialIdentity, RequestHandler } from "@smithy/types";
import type { AwsPorts, Call, Ec2Port, EcrPort, EcsPort, Elbv2Port } from "./ports.js";

export interface AwsSettings {
  region: string;
  /** Per-service endpoint overrides (`ecs`, `ecr`, `elbv2`, `ec2`), e.g. a local simulator. */
  endpoints?: Partial<Record<"ecs" | "ecr" | "elbv2" | "ec2", string>>;
  /** An in-process transport (the simulator's request handler); sockets are used when absent. */
  requestHandler?: RequestHandler<any, any, any>;
  credentials?: AwsCredentialIdentity;
  maxAttempts?: number;
  userAgent?: string;
}

type Sendable = { send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any> };

function call<I, O>(client: Sendable, Command: new (input: any) => unknown): Call<I, O> {
  return (input, signal) => client.send(new Command(input), signal ? { abortSignal: signal } : undefined) as Promise<O>;
}

function clientConfig(settings: AwsSettings, region: string, endpoint: string | undefined) {
  return {
    region,
    maxAttempts: settings.maxAttempts ?? 5,
    customUserAgent: settings.userAgent ?? "cage-action",
    ...(endpoint ? { endpoint } : {}),
    ...(settings.requestHandler ? { requestHandler: settings.requestHandler } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  };
}

export function createAwsPorts(settings: AwsSettings): AwsPorts {
  const e = settings.endpoints ?? {};
  const ecsClient = new ECS.ECSClient(clientConfig(settings, settings.region, e.ecs));
  // Calls without a client token are sent once: the SDK would repeat one whose answer was lost, so the engine
  // retries them itself, after checking whether the first attempt took effect.
  const ecsOnce = new ECS.ECSClient({ ...clientConfig(settings, settings.region, e.ecs), maxAttempts: 1 });
  const elbClient = new ELB.ElasticLoadBalancingV2Client(clientConfig(settings, settings.region, e.elbv2));
  const ec2Client = new EC2.EC2Client(clientConfig(settings, settings.region, e.ec2));
  const ecrPorts = new Map<string, EcrPort>();

  const ecs: EcsPort = {
    describeServices: call(ecsClient, ECS.DescribeServicesCommand),
    createService: call(ecsClient, ECS.CreateServiceCommand),
    updateService: call(ecsClient, ECS.UpdateServiceCommand),
    registerTaskDefinition: call(ecsOnce, ECS.RegisterTaskDefinitionCommand),
    describeTaskDefinition: call(ecsClient, ECS.DescribeTaskDefinitionCommand),
    runTask: call(ecsClient, ECS.RunTaskCommand),
    startTask: call(ecsOnce, ECS.StartTaskCommand),
    stopTask: call(ecsClient, ECS.StopTaskCommand),
    describeTasks: call(ecsClient, ECS.DescribeTasksCommand),
    listTasks: call(ecsClient, ECS.ListTasksCommand),
    describeContainerInstances: call(ecsClient, ECS.DescribeContainerInstancesCommand),
    listContainerInstances: call(ecsClient, ECS.ListContainerInstancesCommand),
  };
  const elbv2: Elbv2Port = {
    describeTargetGroups: call(elbClient, ELB.DescribeTargetGroupsCommand),
    describeTargetGroupAttributes: call(elbClient, ELB.DescribeTargetGroupAttributesCommand),
    registerTargets: call(elbClient, ELB.RegisterTargetsCommand),
    deregisterTargets: call(elbClient, ELB.DeregisterTargetsCommand),
    describeTargetHealth: call(elbClient, ELB.DescribeTargetHealthCommand),
  };
  const ec2: Ec2Port = {
    describeSubnets: call(ec2Client, EC2.DescribeSubnetsCommand),
    describeInstances: call(ec2Client, EC2.DescribeInstancesCommand),
  };
  const ecrIn = (region: string): EcrPort => {
    let port = ecrPorts.get(region);
    if (!port) {
      const client = new ECR.ECRClient(clientConfig(settings, region, e.ecr));
      port = {
        batchGetImage: call(client, ECR.BatchGetImageCommand),
        describeImages: call(client, ECR.DescribeImagesCommand),
        describeImageScanFindings: call(client, ECR.DescribeImageScanFindingsCommand),
      };
      ecrPorts.set(region, port);
    }
    return port;
  };
  return { ecs, elbv2, ec2, ecrIn };
}
