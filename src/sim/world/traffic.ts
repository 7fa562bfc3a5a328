/**
 * What ECS does to the listener rules in a blue/green, linear or canary deployment: it rewrites the production (and
 * test) rule's weighted forward between the blue and the green target group, per load balancer of the service.
 */
import { reassociate, ruleOf, setWeights, weightsOf } from "./listeners.js";
import type { Deployment, ServiceLoadBalancer, WorldState } from "./state.js";

export interface TrafficPair {
  lb: ServiceLoadBalancer;
  blue: string;
  green: string;
}

/** The configured target group and its alternate, for a load balancer with an advanced configuration. */
export function groupsOf(lb: ServiceLoadBalancer): [string, string] | undefined {
  const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
  return alternate ? [lb.targetGroupArn, alternate] : undefined;
}

/** The target group the production rule sends most of its traffic to, of the two; the configured one on a tie. */
export function productionGroupOf(state: WorldState, lb: ServiceLoadBalancer): string {
  const pair = groupsOf(lb);
  const rule = ruleOf(state, lb.advancedConfiguration?.productionListenerRule);
  if (!pair || !rule) return lb.targetGroupArn;
  const weight = (arn: string) => weightsOf(rule).find((w) => w.arn === arn)?.weight ?? 0;
  return weight(pair[1]) > weight(pair[0]) ? pair[1] : pair[0];
}

/** Sends `percent` of the rule's traffic to green and the rest to blue, keeping the rule's order of the two. */
function shift(state: WorldState, ruleArn: string | undefined, pair: TrafficPair, percent: number): void {
  const rule = ruleOf(state, ruleArn);
  if (!rule) return;
  const green = percent <= 0 ? 0 : Math.max(1, Math.round(percent));
  const order = weightsOf(rule).map((w) => w.arn);
  const arns = order.includes(pair.blue) && order.includes(pair.green) ? order : [pair.blue, pair.green];
  const weights = arns
    .filter((arn) => arn === pair.blue || arn === pair.green)
    .map((arn) => ({ arn, weight: arn === pair.green ? green : 100 - green }));
  if (setWeights(rule, weights)) reassociate(state);
}

export function shiftProduction(state: WorldState, pairs: TrafficPair[], percent: number): void {
  for (const pair of pairs) shift(state, pair.lb.advancedConfiguration?.productionListenerRule, pair, percent);
}

export function shiftTest(state: WorldState, pairs: TrafficPair[], percent: number): void {
  for (const pair of pairs) shift(state, pair.lb.advancedConfiguration?.testListenerRule, pair, percent);
}

/** The blue/green pairs of a native deployment: its own (green) target groups against the ones it replaces. */
export function pairsOf(d: Deployment): TrafficPair[] {
  return d.configuredLoadBalancers.flatMap((lb, i) => {
    const pair = groupsOf(lb);
    const green = d.loadBalancers[i]?.targetGroupArn;
    if (!pair || !green) return [];
    return [{ lb, green, blue: green === pair[0] ? pair[1] : pair[0] }];
  });
}
