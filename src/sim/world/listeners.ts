/**
 * Listeners and their rules: where each one forwards and at which weights, and so which load balancers a target
 * group is behind. ECS's blue/green deployments rewrite these weights (traffic.ts).
 */
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ListenerRecord, ListenerRule, TargetGroup } from "./records-elb.js";
import type { WorldState } from "./state.js";

export interface Weight {
  arn: string;
  weight: number;
}

/**
 * An action as ELBv2 describes it: a forward action always carries a ForwardConfig listing each group with its
 * weight (1 when not given) and the stickiness setting, and keeps TargetGroupArn only when it forwards to one group.
 */
export function describedAction(action: ELB.Action): ELB.Action {
  const copy = structuredClone(action);
  if (copy.Type !== "forward") return copy;
  const given = copy.ForwardConfig?.TargetGroups ?? [];
  const groups = (given.length > 0 ? given : [{ TargetGroupArn: copy.TargetGroupArn }]).map((t) => ({
    TargetGroupArn: t.TargetGroupArn,
    Weight: t.Weight ?? 1,
  }));
  const stickiness = copy.ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false };
  return {
    Type: "forward",
    ...(copy.Order !== undefined ? { Order: copy.Order } : {}),
    ...(groups.length === 1 ? { TargetGroupArn: groups[0]!.TargetGroupArn } : {}),
    ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: stickiness },
  };
}

export function forwardOf(rule: ListenerRule): ELB.Action | undefined {
  return rule.actions.find((a) => a.Type === "forward");
}

export function weightsOf(rule: ListenerRule): Weight[] {
  return (forwardOf(rule)?.ForwardConfig?.TargetGroups ?? []).map((t) => ({
    arn: t.TargetGroupArn ?? "",
    weight: t.Weight ?? 1,
  }));
}

/** Every target group the rule's forward actions name, at any weight. */
export function targetGroupsOfRule(rule: ListenerRule): string[] {
  return rule.actions.flatMap((a) =>
    a.Type === "forward" ? (a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn ?? "") : [],
  );
}

/**
 * Rewrites the rule's forward action to a weighted ForwardConfig over exactly these groups, keeping its order and
 * stickiness, as ECS does to the production and test rules. False when the weights were already these.
 */
export function setWeights(rule: ListenerRule, weights: Weight[]): boolean {
  const forward = forwardOf(rule);
  if (!forward) return false;
  const same =
    weightsOf(rule).length === weights.length &&
    weightsOf(rule).every((w, i) => w.arn === weights[i]!.arn && w.weight === weights[i]!.weight);
  if (same) return false;
  const stickiness = forward.ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false };
  const index = rule.actions.indexOf(forward);
  rule.actions[index] = describedAction({
    Type: "forward",
    ...(forward.Order !== undefined ? { Order: forward.Order } : {}),
    ForwardConfig: {
      TargetGroups: weights.map((w) => ({ TargetGroupArn: w.arn, Weight: w.weight })),
      TargetGroupStickinessConfig: stickiness,
    },
  });
  return true;
}

/** A rule by its ARN, or a listener's default rule by the listener's ARN (what an NLB's ECS configuration names). */
export function ruleOf(state: WorldState, arn: string | undefined): ListenerRule | undefined {
  if (!arn) return undefined;
  return state.rules.get(arn) ?? state.listeners.get(arn)?.defaultRule;
}

export function listenerOf(state: WorldState, rule: ListenerRule): ListenerRecord {
  return state.listeners.get(rule.listenerArn)!;
}

export function rulesOf(listener: ListenerRecord): ListenerRule[] {
  const ordered = [...listener.rules].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  return [...ordered, listener.defaultRule];
}

/**
 * Puts each group behind the load balancers whose listeners forward to it (at any weight: a group at weight 0 is
 * still health-checked), plus those the world file declares for it.
 */
export function reassociate(state: WorldState, groups: Iterable<TargetGroup> = state.targetGroups.values()): void {
  const forwarding = new Map<string, Set<string>>();
  for (const listener of state.listeners.values()) {
    for (const rule of rulesOf(listener)) {
      for (const arn of targetGroupsOfRule(rule)) {
        const lbs = forwarding.get(arn) ?? new Set<string>();
        lbs.add(listener.loadBalancerArn);
        forwarding.set(arn, lbs);
      }
    }
  }
  for (const tg of groups) {
    const next = [...new Set([...tg.declaredLoadBalancerArns, ...(forwarding.get(tg.arn) ?? [])])];
    if (next.length === tg.loadBalancerArns.length && next.every((a) => tg.loadBalancerArns.includes(a))) continue;
    tg.loadBalancerArns = next;
    state.agenda.targetGroupChanged(tg);
  }
}

/** The share (0-100) of a rule's forwarded requests that go to the group. */
export function shareOf(rule: ListenerRule, tgArn: string): number {
  const weights = weightsOf(rule);
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  if (total === 0) return 0;
  return (100 * weights.filter((w) => w.arn === tgArn).reduce((sum, w) => sum + w.weight, 0)) / total;
}

export function ruleView(rule: ListenerRule): ELB.Rule {
  const isDefault = rule.priority === undefined;
  return {
    RuleArn: rule.arn,
    Priority: isDefault ? "default" : String(rule.priority),
    Conditions: structuredClone(rule.conditions),
    Actions: structuredClone(rule.actions),
    IsDefault: isDefault,
  };
}

export function listenerView(listener: ListenerRecord): ELB.Listener {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as ELB.ProtocolEnum,
    ...(listener.sslPolicy ? { SslPolicy: listener.sslPolicy } : {}),
    ...(listener.certificates ? { Certificates: listener.certificates } : {}),
    DefaultActions: structuredClone(listener.defaultRule.actions),
  };
}
