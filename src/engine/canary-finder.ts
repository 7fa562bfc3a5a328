/** Finds live canary tasks of a service by their group (and, for one run, by startedBy). */
import type { ListTasksCommandInput, Task } from "@aws-sdk/client-ecs";
import type { Phase } from "./events.js";
import { canaryGroup } from "./labels.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import { describeTasks } from "./task-watch.js";

export interface CanaryQuery {
  cluster: string;
  service: string;
  /** Look only at tasks of these task definition families (cheaper on a busy cluster). */
  families?: string[];
  /** Only canaries of one run. */
  startedBy?: string;
}

export async function findCanaries(session: Session, phase: Phase, query: CanaryQuery): Promise<Task[]> {
  const isCanary = (task: Task) => task.group === canaryGroup(query.service);
  if (query.startedBy) return (await tasksOfRun(session, phase, query.cluster, query.startedBy)).filter(isCanary);
  const filters: Partial<ListTasksCommandInput>[] = query.families?.length
    ? [...new Set(query.families)].map((family) => ({ family }))
    : [{}];
  const arns = new Set<string>();
  for (const filter of filters) {
    for (const arn of await listLiveTasks(session, phase, query.cluster, filter)) arns.add(arn);
  }
  return (await describeTasks(session, phase, query.cluster, [...arns])).filter(
    (task) => isCanary(task) && task.lastStatus !== "STOPPED",
  );
}

/** Every live task one run started (its canary, its `run` task), whatever their group. */
export async function tasksOfRun(session: Session, phase: Phase, cluster: string, startedBy: string): Promise<Task[]> {
  const arns = await listLiveTasks(session, phase, cluster, { startedBy });
  return (await describeTasks(session, phase, cluster, arns)).filter(
    (task) => task.startedBy === startedBy && task.lastStatus !== "STOPPED",
  );
}

async function listLiveTasks(
  session: Session,
  phase: Phase,
  cluster: string,
  filter: Partial<ListTasksCommandInput>,
): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await callAws(session, phase, "ecs:ListTasks", (signal) =>
      session.aws.ecs.listTasks(
        { cluster, desiredStatus: "RUNNING", ...filter, ...(nextToken ? { nextToken } : {}) },
        signal,
      ),
    );
    arns.push(...(out.taskArns ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return arns;
}
