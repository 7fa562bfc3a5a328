/** Cross-references of a world file's listeners and rules: load balancers, target groups, names, ARNs. */
import type { ForwardSpec, ListenerRuleSpec, ListenerSpec, ServiceLoadBalancerSpec, WorldSpec } from "./spec.js";

type OwnArn = (arn: string | undefined, path: string) => void;

/** Where a rule or listener name points: the rule, or the listener's default rule. */
export function ruleNames(
  spec: WorldSpec,
): Map<string, { path: string; rule?: ListenerRuleSpec; listener: ListenerSpec }> {
  const names = new Map<string, { path: string; rule?: ListenerRuleSpec; listener: ListenerSpec }>();
  spec.listeners?.forEach((listener, i) => {
    if (listener.name !== undefined) names.set(listener.name, { path: `$.listeners[${i}]`, listener });
    listener.rules?.forEach((rule, j) => {
      if (rule.name !== undefined) names.set(rule.name, { path: `$.listeners[${i}].rules[${j}]`, rule, listener });
    });
  });
  return names;
}

export function listenerReferences(
  spec: WorldSpec,
  declared: { lbs: Set<string>; tgs: Set<string> },
  ownArn: OwnArn,
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const named = (name: string | undefined, path: string) => {
    if (name === undefined) return;
    const first = seen.get(name);
    if (first) problems.push(`${path}.name: "${name}" is already the name of ${first}`);
    else seen.set(name, path);
  };
  const forwards = (forward: ForwardSpec[] | undefined, actions: unknown[] | undefined, path: string) => {
    if (forward && actions) problems.push(`${path}: give either forward or actions, not both`);
    forward?.forEach((f, k) => {
      if (!declared.tgs.has(f.targetGroup)) {
        problems.push(
          `${path}.forward[${k}].targetGroup: target group ${JSON.stringify(f.targetGroup)} is not declared in targetGroups`,
        );
      }
    });
  };
  spec.listeners?.forEach((listener, i) => {
    const path = `$.listeners[${i}]`;
    if (!declared.lbs.has(listener.loadBalancer)) {
      problems.push(
        `${path}.loadBalancer: load balancer ${JSON.stringify(listener.loadBalancer)} is not declared in loadBalancers`,
      );
    }
    ownArn(listener.arn, `${path}.arn`);
    named(listener.name, path);
    if (!listener.forward && !listener.actions)
      problems.push(`${path}: a listener needs its default action: give forward or actions`);
    forwards(listener.forward, listener.actions, path);
    listener.rules?.forEach((rule, j) => {
      const at = `${path}.rules[${j}]`;
      ownArn(rule.arn, `${at}.arn`);
      named(rule.name, at);
      if (!rule.forward && !rule.actions) problems.push(`${at}: a rule needs an action: give forward or actions`);
      forwards(rule.forward, rule.actions, at);
    });
  });
  return problems;
}

/** A service load balancer's blue/green references: the alternate target group and the rules by name. */
export function advancedReferences(
  spec: WorldSpec,
  lb: ServiceLoadBalancerSpec,
  path: string,
  tgs: Set<string>,
): string[] {
  const problems: string[] = [];
  const names = ruleNames(spec);
  if (lb.alternateTargetGroup !== undefined && !tgs.has(lb.alternateTargetGroup)) {
    problems.push(
      `${path}.alternateTargetGroup: target group ${JSON.stringify(lb.alternateTargetGroup)} is not declared in targetGroups`,
    );
  }
  if (lb.alternateTargetGroup !== undefined && lb.productionListenerRule === undefined) {
    problems.push(`${path}: with alternateTargetGroup, give productionListenerRule (a rule or listener name)`);
  }
  for (const key of ["productionListenerRule", "testListenerRule"] as const) {
    const name = lb[key];
    if (name === undefined) continue;
    if (lb.alternateTargetGroup === undefined) problems.push(`${path}.${key}: needs alternateTargetGroup`);
    if (!names.has(name)) {
      const known = [...names.keys()];
      problems.push(
        `${path}.${key}: no listener or rule is named ${JSON.stringify(name)} in listeners; known: ${known.join(", ") || "none"}`,
      );
    }
  }
  return problems;
}
