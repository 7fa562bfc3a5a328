/**
 * Where the canary of a BLUE_GREEN, LINEAR or CANARY service goes: in each target group pair, the one that carries
 * production traffic now. `loadBalancers[].targetGroupArn` is only the configured primary (after an odd number of
 * native deployments production runs in the alternate), so the current revision's resolved load balancers say
 * which group ECS serves from, and the production listener rule's weights say where requests go. Both must agree,
 * and the weights must not be split outside a deployment; otherwise cage refuses before anything changes.
 */
import type { LoadBalancer, Service, ServiceRevision } from "@aws-sdk/client-ecs";
import type { Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { inert } from "../shared/inert.js";
import { CageError } from "./errors.js";
import { callAws } from "./polling.js";
import type { Session } from "./session.js";

/** A target group's weight in each forward action of a rule; a group the rule does not name gets none. */
export function forwardWeights(rule: Rule | undefined): Map<string, number> {
  const weights = new Map<string, number>();
  for (const action of rule?.Actions ?? []) {
    if (action.Type !== "forward") continue;
    const groups = action.ForwardConfig?.TargetGroups ?? [];
    if (groups.length === 0 && action.TargetGroupArn) weights.set(action.TargetGroupArn, 1);
    for (const g of groups) if (g.TargetGroupArn) weights.set(g.TargetGroupArn, g.Weight ?? 1);
  }
  return weights;
}

const nameOf = (arn: string) => inert(/:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn);

function refuse(what: string, fix: string): CageError {
  return new CageError("refused", "preflight", what, fix);
}

/**
 * The service's load balancers with each blue/green pair's entry pointed at the group production is on now.
 * Pure: over the service, its current revision (if any was read) and the production rules by ARN.
 */
export function productionLoadBalancers(
  service: Service,
  revision: ServiceRevision | undefined,
  rules: ReadonlyMap<string, Rule | undefined>,
): LoadBalancer[] {
  const name = inert(service.serviceName ?? "?");
  if (revision?.gatewayConnectors?.length || revision?.ecsManagedResources) {
    const why = revision.gatewayConnectors?.length
      ? "is attached to a gateway (gatewayConnectors)"
      : "has ecsManagedResources";
    throw refuse(
      `Service '${name}' ${why}: ECS manages its target groups, which are not in the service's loadBalancers, so cage cannot place a canary in them.`,
      "Deploy it with ECS's own strategy (aws ecs update-service) instead of cage.",
    );
  }
  const resolved = revision?.resolvedConfiguration?.loadBalancers ?? [];
  return (service.loadBalancers ?? []).map((lb) => {
    const advanced = lb.advancedConfiguration;
    if (!lb.targetGroupArn || !advanced?.alternateTargetGroupArn || !advanced.productionListenerRule) return lb;
    const ruleArn = advanced.productionListenerRule;
    const pair = [...new Set([lb.targetGroupArn, advanced.alternateTargetGroupArn])];
    const weights = forwardWeights(rules.get(ruleArn));
    const live = pair.filter((tg) => (weights.get(tg) ?? 0) > 0);
    const rule = inert(ruleArn);
    const shown = pair.map((tg) => `${nameOf(tg)} (weight ${weights.get(tg) ?? 0})`).join(" and ");
    if (live.length !== 1) {
      throw refuse(
        `Service '${name}': production listener rule ${rule} forwards to ${shown}, and no deployment is in progress, so no single target group carries production traffic and a canary in either would prove little.`,
        `Set the rule's weights to 100 on the target group of the service's current revision and 0 on the other (aws elbv2 modify-rule --rule-arn ${rule}), then run again.`,
      );
    }
    const production = live[0] as string;
    const served = resolved.find((r) => r.targetGroupArn && pair.includes(r.targetGroupArn))?.targetGroupArn;
    if (served && served !== production) {
      throw refuse(
        `Service '${name}': its current revision ${inert(revision?.serviceRevisionArn)} serves from target group ${nameOf(served)}, but production listener rule ${rule} sends production traffic to ${nameOf(production)}.`,
        `Put the rule's weights back (100 on ${nameOf(served)}, 0 on ${nameOf(production)}: aws elbv2 modify-rule --rule-arn ${rule}), or find out who changed them, then run again.`,
      );
    }
    return { ...lb, targetGroupArn: production };
  });
}

/** The alternate target group of each blue/green pair: the canary may go there, so its settings are read too. */
export function alternateGroupsOf(service: Service): string[] {
  return (service.loadBalancers ?? []).flatMap((lb) => lb.advancedConfiguration?.alternateTargetGroupArn ?? []);
}

/** The current revision and the production rules, read; then the placement (or a refusal). */
export async function resolveProductionLoadBalancers(session: Session, service: Service): Promise<LoadBalancer[]> {
  const revisions = service.currentServiceRevisions ?? [];
  if (revisions.length > 1) {
    throw refuse(
      `Service '${inert(service.serviceName)}' runs ${revisions.length} service revisions at once: a deployment has not finished cleaning up, so which one serves production is not settled.`,
      `Wait for it to finish, or set ${session.naming.input("wait-if-busy")}.`,
    );
  }
  const arn = revisions[0]?.arn;
  const revision = arn
    ? (
        await callAws(session, "preflight", "ecs:DescribeServiceRevisions", (signal) =>
          session.aws.ecs.describeServiceRevisions({ serviceRevisionArns: [arn] }, signal),
        )
      ).serviceRevisions?.[0]
    : undefined;
  const ruleArns = [
    ...new Set((service.loadBalancers ?? []).flatMap((lb) => lb.advancedConfiguration?.productionListenerRule ?? [])),
  ];
  const rules = new Map<string, Rule | undefined>();
  for (const ruleArn of ruleArns) {
    if (!ruleArn.includes(":listener-rule/")) {
      throw refuse(
        `Service '${inert(service.serviceName)}' names listener ${inert(ruleArn)} as its production listener rule (a Network Load Balancer's); cage reads production weights only from Application Load Balancer rules.`,
        "Deploy this service with ECS's own strategy (aws ecs update-service) instead of cage.",
      );
    }
    const out = await callAws(session, "preflight", "elasticloadbalancing:DescribeRules", (signal) =>
      session.aws.elbv2.describeRules({ RuleArns: [ruleArn] }, signal),
    );
    rules.set(ruleArn, out.Rules?.[0]);
  }
  return productionLoadBalancers(service, revision, rules);
}
