/**
 * `keep-revisions`: after a successful rollout, the family's ACTIVE revisions beyond the newest N are
 * deregistered. The revision just deployed and the one it replaced are always kept: a rollback needs the one
 * before. A revision that fails to deregister is reported and left; the rollout stays a success.
 */
import { callAws } from "./polling.js";
import type { Session } from "./session.js";
import { familyOf } from "./task-definition.js";

export interface Pruned {
  deregistered: string[];
  problems: string[];
}

/** Which ACTIVE revisions go, oldest first: all but the newest `keep` and those `kept` names. Pure. */
export function revisionsBeyond(active: readonly string[], keep: number, kept: readonly string[]): string[] {
  const byRevision = [...active].sort((a, b) => revisionOf(b) - revisionOf(a));
  return byRevision
    .slice(keep)
    .filter((arn) => !kept.includes(arn))
    .reverse();
}

/** After a successful rollout to `deployed` from `previous`; each outcome is also a notice on the timeline. */
export async function keepRevisions(
  session: Session,
  keep: number,
  deployed: string,
  previous: string | undefined,
): Promise<Pruned> {
  const family = familyOf(deployed);
  const kept = previous ? [deployed, previous] : [deployed];
  const pruned = await pruneRevisions(session, family, keep, kept).catch((error: unknown) => ({
    deregistered: [],
    problems: [`listing the revisions of ${family} failed: ${error instanceof Error ? error.message : String(error)}`],
  }));
  const input = session.naming.input("keep-revisions");
  if (pruned.deregistered.length > 0) {
    const names = pruned.deregistered.map((arn) => arn.slice(arn.lastIndexOf("/") + 1)).join(", ");
    session.emit({ type: "notice", level: "info", message: `${input}: deregistered ${names}.` });
  }
  for (const problem of pruned.problems) {
    session.emit({ type: "notice", level: "warning", message: `${input}: ${problem}; that revision stays ACTIVE.` });
  }
  return pruned;
}

async function pruneRevisions(
  session: Session,
  family: string,
  keep: number,
  kept: readonly string[],
): Promise<Pruned> {
  const active = await activeRevisions(session, family);
  const pruned: Pruned = { deregistered: [], problems: [] };
  for (const arn of revisionsBeyond(active, keep, kept)) {
    try {
      await callAws(
        session,
        "cleanup",
        "ecs:DeregisterTaskDefinition",
        () => session.aws.ecs.deregisterTaskDefinition({ taskDefinition: arn }),
        { retry: true, mutating: true },
      );
      pruned.deregistered.push(arn);
    } catch (error) {
      pruned.problems.push(`${arn}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return pruned;
}

/** ListTaskDefinitions' familyPrefix is the whole family name; the family is checked again all the same. */
async function activeRevisions(session: Session, family: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws(session, "cleanup", "ecs:ListTaskDefinitions", (signal) =>
      session.aws.ecs.listTaskDefinitions(
        { familyPrefix: family, status: "ACTIVE", ...(nextToken ? { nextToken } : {}) },
        signal,
      ),
    );
    arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

const revisionOf = (arn: string): number => Number(arn.slice(arn.lastIndexOf(":") + 1)) || 0;
