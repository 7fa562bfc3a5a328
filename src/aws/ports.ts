/**
 * The narrow ports through which the engine reaches AWS: exactly the calls it makes, with the SDK's own
 * request and response shapes. Adapters (clients.ts) implement them with the AWS SDK v3 clients.
 */
import type * as CW from "@aws-sdk/client-cloudwatch";
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as ECR from "@aws-sdk/client-ecr";
import type * as ECS from "@aws-sdk/client-ecs";
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";

export type Call<I, O> = (input: I, signal?: AbortSignal) => Promise<O>;

export interface EcsPort {
  describeClusters: Call<ECS.DescribeClustersCommandInput, ECS.DescribeClustersCommandOutput>;
  describeServices: Call<ECS.DescribeServicesCommandInput, ECS.DescribeServicesCommandOutput>;
  createService: Call<ECS.CreateServiceCommandInput, ECS.CreateServiceCommandOutput>;
  updateService: Call<ECS.UpdateServiceCommandInput, ECS.UpdateServiceCommandOutput>;
  registerTaskDefinition: Call<ECS.RegisterTaskDefinitionCommandInput, ECS.RegisterTaskDefinitionCommandOutput>;
  describeTaskDefinition: Call<ECS.DescribeTaskDefinitionCommandInput, ECS.DescribeTaskDefinitionCommandOutput>;
  listTaskDefinitions: Call<ECS.ListTaskDefinitionsCommandInput, ECS.ListTaskDefinitionsCommandOutput>;
  deregisterTaskDefinition: Call<ECS.DeregisterTaskDefinitionCommandInput, ECS.DeregisterTaskDefinitionCommandOutput>;
  runTask: Call<ECS.RunTaskCommandInput, ECS.RunTaskCommandOutput>;
  startTask: Call<ECS.StartTaskCommandInput, ECS.StartTaskCommandOutput>;
  stopTask: Call<ECS.StopTaskCommandInput, ECS.StopTaskCommandOutput>;
  describeTasks: Call<ECS.DescribeTasksCommandInput, ECS.DescribeTasksCommandOutput>;
  listTasks: Call<ECS.ListTasksCommandInput, ECS.ListTasksCommandOutput>;
  describeContainerInstances: Call<
    ECS.DescribeContainerInstancesCommandInput,
    ECS.DescribeContainerInstancesCommandOutput
  >;
  listContainerInstances: Call<ECS.ListContainerInstancesCommandInput, ECS.ListContainerInstancesCommandOutput>;
  continueServiceDeployment: Call<
    ECS.ContinueServiceDeploymentCommandInput,
    ECS.ContinueServiceDeploymentCommandOutput
  >;
  stopServiceDeployment: Call<ECS.StopServiceDeploymentCommandInput, ECS.StopServiceDeploymentCommandOutput>;
  listServiceDeployments: Call<ECS.ListServiceDeploymentsCommandInput, ECS.ListServiceDeploymentsCommandOutput>;
  describeServiceDeployments: Call<
    ECS.DescribeServiceDeploymentsCommandInput,
    ECS.DescribeServiceDeploymentsCommandOutput
  >;
  describeServiceRevisions: Call<ECS.DescribeServiceRevisionsCommandInput, ECS.DescribeServiceRevisionsCommandOutput>;
}

export interface Elbv2Port {
  describeTargetGroups: Call<ELB.DescribeTargetGroupsCommandInput, ELB.DescribeTargetGroupsCommandOutput>;
  describeTargetGroupAttributes: Call<
    ELB.DescribeTargetGroupAttributesCommandInput,
    ELB.DescribeTargetGroupAttributesCommandOutput
  >;
  registerTargets: Call<ELB.RegisterTargetsCommandInput, ELB.RegisterTargetsCommandOutput>;
  deregisterTargets: Call<ELB.DeregisterTargetsCommandInput, ELB.DeregisterTargetsCommandOutput>;
  describeTargetHealth: Call<ELB.DescribeTargetHealthCommandInput, ELB.DescribeTargetHealthCommandOutput>;
  describeLoadBalancers: Call<ELB.DescribeLoadBalancersCommandInput, ELB.DescribeLoadBalancersCommandOutput>;
  /** The production listener rule's weights, on BLUE_GREEN, LINEAR and CANARY services. */
  describeRules: Call<ELB.DescribeRulesCommandInput, ELB.DescribeRulesCommandOutput>;
  /** A Network Load Balancer's production listener: its default action holds the weights. */
  describeListeners: Call<ELB.DescribeListenersCommandInput, ELB.DescribeListenersCommandOutput>;
}

export interface Ec2Port {
  describeSubnets: Call<EC2.DescribeSubnetsCommandInput, EC2.DescribeSubnetsCommandOutput>;
  describeInstances: Call<EC2.DescribeInstancesCommandInput, EC2.DescribeInstancesCommandOutput>;
  describeSecurityGroups: Call<EC2.DescribeSecurityGroupsCommandInput, EC2.DescribeSecurityGroupsCommandOutput>;
}

export interface EcrPort {
  batchGetImage: Call<ECR.BatchGetImageCommandInput, ECR.BatchGetImageCommandOutput>;
  describeImages: Call<ECR.DescribeImagesCommandInput, ECR.DescribeImagesCommandOutput>;
  describeImageScanFindings: Call<
    ECR.DescribeImageScanFindingsCommandInput,
    ECR.DescribeImageScanFindingsCommandOutput
  >;
}

/** CloudWatch, read only during a canary soak that watches alarms or measures metric checks. */
export interface CloudWatchPort {
  describeAlarms: Call<CW.DescribeAlarmsCommandInput, CW.DescribeAlarmsCommandOutput>;
  getMetricData: Call<CW.GetMetricDataCommandInput, CW.GetMetricDataCommandOutput>;
}

export interface AwsPorts {
  ecs: EcsPort;
  elbv2: Elbv2Port;
  ec2: Ec2Port;
  /** Absent in ports made by hand (tests) that never soak. */
  cloudwatch?: CloudWatchPort;
  /** ECR images may live in another region: the port for a region is made on demand. */
  ecrIn(region: string): EcrPort;
}
