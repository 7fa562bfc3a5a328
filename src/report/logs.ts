import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import type { DeployedContainer } from "./types.js";

/** The awslogs options of a container definition, when it logs to CloudWatch. */
export function awslogsOf(container: ContainerDefinition): DeployedContainer["awslogs"] {
  const config = container.logConfiguration;
  if (config?.logDriver !== "awslogs") return undefined;
  const group = config.options?.["awslogs-group"];
  if (!group) return undefined;
  return {
    group,
    region: config.options?.["awslogs-region"],
    streamPrefix: config.options?.["awslogs-stream-prefix"],
  };
}

/**
 * The CloudWatch console URL of a task's log stream, built from the awslogs options alone (no API call). The stream
 * is `prefix/container/task-id`; without a prefix ECS names it by the Docker container id, which only the log group
 * view can find.
 */
export function logStreamUrl(
  awslogs: NonNullable<DeployedContainer["awslogs"]>,
  container: string,
  taskArn: string,
  fallbackRegion: string,
): string | undefined {
  const region = awslogs.region || fallbackRegion;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return undefined;
  const base = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consoleEncode(awslogs.group)}`;
  const taskId = taskArn.split("/").pop() ?? taskArn;
  if (!awslogs.streamPrefix) return base;
  return `${base}/log-events/${consoleEncode(`${awslogs.streamPrefix}/${container}/${taskId}`)}`;
}

/** The console's fragment encoding: URI-encoded twice, with `%` written as `$`. */
function consoleEncode(value: string): string {
  return encodeURIComponent(encodeURIComponent(value)).replace(/%/g, "$");
}
