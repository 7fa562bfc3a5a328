/**
 * Where the canary of a BLUE_GREEN, LINEAR or CANARY service goes: in each target group pair, the one that carries
 * production traffic now. `loadBalancers[].targetGroupArn` is only the configured primary (after an odd number of
 * native deployments production runs in the alternate), so the current revision's resolved load balancers say
 * which group ECS serves from, and the production listener rule's weights say where requests go. Both must agree,
 * and the weights must not be split outside a deployment; otherwise cage refuses before anything changes.
 * Behind a Network Load Balancer the production "rule" is a listener, whose default action holds the weights.
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

/** An NLB's listener (`:listener/`) rather than an ALB's rule (`:listener-rule/`). */
export const isListenerArn = (arn: string): boolean => arn.includes(":listener/");

/** How the refusals name the production rule, and the command that sets its weights. */
function ruleWords(arn: string): { what: string; modify: string } {
  const shown = inert(arn);
  return isListenerArn(arn)
    ? { what: `production listener ${shown}`, modify: `aws elbv2 modify-listener --listener-arn ${shown}` }
    : { what: `production listener rule ${shown}`, modify: `aws elbv2 modify-rule --rule-arn ${shown}` };
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
    const rule = ruleWords(ruleArn);
    const shown = pair.map((tg) => `${nameOf(tg)} (weight ${weights.get(tg) ?? 0})`).join(" and ");
    if (live.length !== 1) {
      throw refuse(
        `Service '${name}': ${rule.what} forwards to ${shown}, and no deployment is in progress, so no single target group carries production traffic and a canary in either would prove little.`,
        `Set the weights to 100 on the target group of the service's current revision and 0 on the other (${rule.modify}), then run again.`,
      );
    }
    const production = live[0] as string;
    const served = resolved.find((r) => r.targetGroupArn && pair.includes(r.targetGroupArn))?.targetGroupArn;
    if (served && served !== production) {
      throw refuse(
        `Service '${name}': its current revision ${inert(revision?.serviceRevisionArn)} serves from target group ${nameOf(served)}, but ${rule.what} sends production traffic to ${nameOf(production)}.`,
        `Put the weights back (100 on ${nameOf(served)}, 0 on ${nameOf(production)}: ${rule.modify}), or find out who changed them, then run again.`,
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
  for (const ruleArn of ruleArns) rules.set(ruleArn, await productionRule(session, ruleArn));
  return productionLoadBalancers(service, revision, rules);
}

/** An ALB's rule as DescribeRules gives it, or an NLB listener's default actions as DescribeListeners does. */
async function productionRule(session: Session, arn: string): Promise<Rule | undefined> {
  if (isListenerArn(arn)) {
    const out = await callAws(session, "preflight", "elasticloadbalancing:DescribeListeners", (signal) =>
      session.aws.elbv2.describeListeners({ ListenerArns: [arn] }, signal),
    );
    const listener = out.Listeners?.[0];
    return listener ? { RuleArn: arn, Actions: listener.DefaultActions ?? [], IsDefault: true } : undefined;
  }
  const out = await callAws(session, "preflight", "elasticloadbalancing:DescribeRules", (signal) =>
    session.aws.elbv2.describeRules({ RuleArns: [arn] }, signal),
  );
  return out.Rules?.[0];
}
