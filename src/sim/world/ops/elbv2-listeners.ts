/** ELBv2 listeners and listener rules: default actions, conditions, priorities and weighted forwards. */
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import { type OpHandler, SimError } from "../../types.js";
import { paginate } from "../common.js";
import { describedAction, listenerView, reassociate, rulesOf, ruleView } from "../listeners.js";
import type { ListenerRecord, ListenerRule, LoadBalancer } from "../records-elb.js";
import type { WorldState } from "../state.js";
import { checkActions, checkConditions, checkPriority, describedConditions } from "./elbv2-rule-checks.js";

const PROTOCOLS = { application: ["HTTP", "HTTPS"], network: ["TCP", "TLS", "UDP", "TCP_UDP"] };
const KIND = { application: "an Application", network: "a Network" };

function checkProtocol(lb: LoadBalancer, protocol: string): void {
  if (!PROTOCOLS[lb.type].includes(protocol)) {
    throw new SimError(
      "UnsupportedProtocol",
      `Protocol '${protocol}' is not supported by ${KIND[lb.type]} Load Balancer`,
    );
  }
}

function listenerOf(state: WorldState, arn: string | undefined): ListenerRecord {
  const listener = state.listeners.get(arn ?? "");
  if (!listener) throw new SimError("ListenerNotFound", "One or more listeners not found");
  return listener;
}

function ruleByArn(state: WorldState, arn: string | undefined): ListenerRule {
  const rule = state.rules.get(arn ?? "");
  if (!rule) throw new SimError("RuleNotFound", "One or more rules not found");
  return rule;
}

function page<T>(items: T[], marker: string | undefined, pageSize: number | undefined) {
  if (pageSize !== undefined && (pageSize < 1 || pageSize > 400)) {
    throw new SimError(
      "ValidationError",
      "1 validation error detected: Value at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400",
    );
  }
  return paginate(items, marker, pageSize, 400, 400);
}

/** A new listener with its default rule; `arn` is a world file's fixed ARN. */
export function createListener(state: WorldState, input: ELB.CreateListenerCommandInput, arn?: string): ListenerRecord {
  const lb = state.loadBalancers.get(input.LoadBalancerArn ?? "");
  if (!lb) throw new SimError("LoadBalancerNotFound", "One or more load balancers not found");
  const protocol = input.Protocol ?? (lb.type === "network" ? "TCP" : "HTTP");
  checkProtocol(lb, protocol);
  const port = input.Port ?? (protocol === "HTTPS" ? 443 : 80);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SimError("ValidationError", `Port must be from 1 to 65535, got ${port}`);
  }
  if (lb.listeners.some((l) => l.port === port)) {
    throw new SimError("DuplicateListener", "A listener already exists on this port for this load balancer");
  }
  checkActions(state, input.DefaultActions, protocol);
  const listenerArn = arn ?? `${lb.arn.replace(":loadbalancer/", ":listener/")}/${state.ids.hex(16)}`;
  const listener: ListenerRecord = {
    arn: listenerArn,
    loadBalancerArn: lb.arn,
    port,
    protocol,
    ...(input.SslPolicy ? { sslPolicy: input.SslPolicy } : {}),
    ...(input.Certificates ? { certificates: input.Certificates } : {}),
    defaultRule: {
      arn: ruleArnFor(state, lb, listenerArn),
      listenerArn,
      conditions: [],
      actions: (input.DefaultActions ?? []).map(describedAction),
      tags: [],
    },
    rules: [],
  };
  lb.listeners.push(listener);
  state.listeners.set(listener.arn, listener);
  state.rules.set(listener.defaultRule.arn, listener.defaultRule);
  reassociate(state);
  return listener;
}

function ruleArnFor(state: WorldState, lb: LoadBalancer, listenerArn: string): string {
  const tail = listenerArn.slice(listenerArn.indexOf(":listener/") + ":listener/".length);
  return `${lb.arn.slice(0, lb.arn.indexOf(":loadbalancer/"))}:listener-rule/${tail}/${state.ids.hex(16)}`;
}

/** A new rule on a listener; `arn` is a world file's fixed ARN. */
export function createRule(state: WorldState, input: ELB.CreateRuleCommandInput, arn?: string): ListenerRule {
  const listener = listenerOf(state, input.ListenerArn);
  if (state.loadBalancers.get(listener.loadBalancerArn)?.type === "network") {
    throw new SimError("ValidationError", "Rules are not supported for Network Load Balancer listeners");
  }
  const priority = checkPriority(input.Priority, (p) => listener.rules.some((r) => r.priority === p));
  checkConditions(input.Conditions);
  checkActions(state, input.Actions, listener.protocol);
  if (listener.rules.length >= 100) throw new SimError("TooManyRules", "A listener can have at most 100 rules");
  const lb = state.loadBalancers.get(listener.loadBalancerArn)!;
  const rule: ListenerRule = {
    arn: arn ?? ruleArnFor(state, lb, listener.arn),
    listenerArn: listener.arn,
    priority,
    conditions: describedConditions(input.Conditions ?? []),
    actions: (input.Actions ?? []).map(describedAction),
    tags: input.Tags ?? [],
  };
  listener.rules.push(rule);
  state.rules.set(rule.arn, rule);
  reassociate(state);
  return rule;
}

export function listenerOps(state: WorldState): Record<string, OpHandler> {
  return {
    CreateListener: (input: ELB.CreateListenerCommandInput): ELB.CreateListenerOutput => ({
      Listeners: [listenerView(createListener(state, input))],
    }),
    DescribeListeners: (input: ELB.DescribeListenersCommandInput): ELB.DescribeListenersOutput => {
      if (!input.LoadBalancerArn && !input.ListenerArns?.length) {
        throw new SimError("ValidationError", "You must specify either listener ARNs or a load balancer ARN");
      }
      let all: ListenerRecord[];
      if (input.ListenerArns?.length) all = input.ListenerArns.map((arn) => listenerOf(state, arn));
      else {
        const lb = state.loadBalancers.get(input.LoadBalancerArn ?? "");
        if (!lb) throw new SimError("LoadBalancerNotFound", "One or more load balancers not found");
        all = lb.listeners;
      }
      const { page: items, nextToken } = page(all, input.Marker, input.PageSize);
      return { Listeners: items.map(listenerView), NextMarker: nextToken };
    },
    ModifyListener: (input: ELB.ModifyListenerCommandInput): ELB.ModifyListenerOutput => {
      const listener = listenerOf(state, input.ListenerArn);
      const protocol = input.Protocol ?? listener.protocol;
      const lb = state.loadBalancers.get(listener.loadBalancerArn)!;
      checkProtocol(lb, protocol);
      if (input.DefaultActions) checkActions(state, input.DefaultActions, protocol);
      if (input.Port !== undefined && lb.listeners.some((l) => l !== listener && l.port === input.Port)) {
        throw new SimError("DuplicateListener", "A listener already exists on this port for this load balancer");
      }
      if (input.Port !== undefined) listener.port = input.Port;
      listener.protocol = protocol;
      if (input.SslPolicy) listener.sslPolicy = input.SslPolicy;
      if (input.Certificates) listener.certificates = input.Certificates;
      if (input.DefaultActions) listener.defaultRule.actions = input.DefaultActions.map(describedAction);
      reassociate(state);
      return { Listeners: [listenerView(listener)] };
    },
    DeleteListener: (input: ELB.DeleteListenerCommandInput): ELB.DeleteListenerOutput => {
      const listener = listenerOf(state, input.ListenerArn);
      const lb = state.loadBalancers.get(listener.loadBalancerArn)!;
      lb.listeners = lb.listeners.filter((l) => l !== listener);
      for (const rule of rulesOf(listener)) state.rules.delete(rule.arn);
      state.listeners.delete(listener.arn);
      reassociate(state);
      return {};
    },
    CreateRule: (input: ELB.CreateRuleCommandInput): ELB.CreateRuleOutput => ({
      Rules: [ruleView(createRule(state, input))],
    }),
    DescribeRules: (input: ELB.DescribeRulesCommandInput): ELB.DescribeRulesOutput => {
      if (!input.ListenerArn && !input.RuleArns?.length) {
        throw new SimError("ValidationError", "You must specify either listener ARN or rule ARNs");
      }
      const all = input.RuleArns?.length
        ? input.RuleArns.map((arn) => ruleByArn(state, arn))
        : rulesOf(listenerOf(state, input.ListenerArn));
      const { page: items, nextToken } = page(all, input.Marker, input.PageSize);
      return { Rules: items.map(ruleView), NextMarker: nextToken };
    },
    ModifyRule: (input: ELB.ModifyRuleCommandInput): ELB.ModifyRuleOutput => {
      const rule = ruleByArn(state, input.RuleArn);
      const listener = listenerOf(state, rule.listenerArn);
      if (input.Conditions && rule.priority === undefined) {
        throw new SimError("OperationNotPermitted", "The conditions of a default rule cannot be modified");
      }
      if (input.Conditions) checkConditions(input.Conditions);
      if (input.Actions) checkActions(state, input.Actions, listener.protocol);
      if (input.Conditions) rule.conditions = describedConditions(input.Conditions);
      if (input.Actions) rule.actions = input.Actions.map(describedAction);
      reassociate(state);
      return { Rules: [ruleView(rule)] };
    },
    DeleteRule: (input: ELB.DeleteRuleCommandInput): ELB.DeleteRuleOutput => {
      const rule = ruleByArn(state, input.RuleArn);
      if (rule.priority === undefined) throw new SimError("OperationNotPermitted", "Default rules cannot be deleted");
      const listener = listenerOf(state, rule.listenerArn);
      listener.rules = listener.rules.filter((r) => r !== rule);
      state.rules.delete(rule.arn);
      reassociate(state);
      return {};
    },
    SetRulePriorities: (input: ELB.SetRulePrioritiesCommandInput): ELB.SetRulePrioritiesOutput => {
      const next = new Map<ListenerRule, number>();
      for (const pair of input.RulePriorities ?? []) {
        const rule = ruleByArn(state, pair.RuleArn);
        if (rule.priority === undefined) {
          throw new SimError("OperationNotPermitted", "The priority of a default rule cannot be changed");
        }
        next.set(
          rule,
          checkPriority(pair.Priority, () => false),
        );
      }
      for (const arn of new Set([...next.keys()].map((r) => r.listenerArn))) {
        const seen = new Set<number>();
        for (const r of listenerOf(state, arn).rules) {
          const priority = next.get(r) ?? r.priority!;
          if (seen.has(priority)) throw new SimError("PriorityInUse", `Priority '${priority}' is currently in use`);
          seen.add(priority);
        }
      }
      for (const [rule, priority] of next) rule.priority = priority;
      return { Rules: [...next.keys()].map(ruleView) };
    },
  };
}
