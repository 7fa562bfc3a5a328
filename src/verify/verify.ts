/** `verify`: read what a deploy would touch (read calls only), then one pure check per line of the checklist. */
import { openSession } from "../engine/session.js";
import type { EngineDeps } from "../engine/settings.js";
import { imageChecks } from "./checks-images.js";
import { loadBalancerChecks } from "./checks-lb.js";
import { instanceCheck, subnetChecks } from "./checks-network.js";
import { arnChecks, executionRoleCheck, outOfReachChecks } from "./checks-roles.js";
import { clusterCheck, contextCheck, serviceCheck } from "./checks-service.js";
import { readFacts } from "./read.js";
import type { Check, CheckStatus, Facts, VerifyReport, VerifySettings } from "./types.js";

export function checksOf(facts: Facts): Check[] {
  const taskDefinition = facts.taskDefinition.ok
    ? []
    : [{ name: "task definition can be read", status: "NG" as const, reason: facts.taskDefinition.error }];
  return [
    clusterCheck(facts),
    serviceCheck(facts),
    contextCheck(facts),
    ...taskDefinition,
    ...imageChecks(facts),
    ...subnetChecks(facts),
    ...loadBalancerChecks(facts),
    instanceCheck(facts),
    executionRoleCheck(facts),
    ...arnChecks(facts),
    ...outOfReachChecks(facts),
  ];
}

export function reportOf(checks: Check[]): VerifyReport {
  const counts: Record<CheckStatus, number> = { OK: 0, NG: 0, SKIP: 0 };
  for (const check of checks) counts[check.status]++;
  return { checks, counts, failed: counts.NG > 0 };
}

export async function verify(
  settings: VerifySettings,
  deps: EngineDeps,
  overallTimeout: number,
): Promise<VerifyReport> {
  return (await verifyWithAudit(settings, deps, overallTimeout)).report;
}

/** The checklist, and the audit its scan lines were judged from (none when no image was found in ECR). */
export async function verifyWithAudit(
  settings: VerifySettings,
  deps: EngineDeps,
  overallTimeout: number,
): Promise<{ report: VerifyReport; audit?: Facts["audit"] }> {
  const session = openSession(deps, overallTimeout);
  const facts = await readFacts(session, settings, deps.naming);
  return { report: reportOf(checksOf(facts)), ...(facts.audit ? { audit: facts.audit } : {}) };
}
