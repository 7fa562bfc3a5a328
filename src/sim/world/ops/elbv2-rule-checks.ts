/**
 * What ELBv2 refuses in a listener's default actions and in a rule's actions, conditions and priority, before
 * anything changes, with its codes (ValidationError, InvalidLoadBalancerAction, TargetGroupNotFound, ...).
 */
import type * as ELB from "@aws-sdk/client-elastic-load-balancing-v2";
import { elbEnums } from "../../models.js";
import { SimError } from "../../types.js";
import type { WorldState } from "../state.js";

const ROUTING = new Set(["forward", "redirect", "fixed-response"]);
const MAX_WEIGHT = 999;
const MAX_STICKINESS_SECONDS = 604_800;
/** Conditions a rule may have at most one of each. */
const SINGLE = ["host-header", "path-pattern", "http-request-method", "source-ip"];
const FIELDS = ["http-header", "http-request-method", "host-header", "path-pattern", "query-string", "source-ip"];

const invalid = (message: string) => new SimError("ValidationError", message);
const badAction = (message: string) => new SimError("InvalidLoadBalancerAction", message);

function checkForward(state: WorldState, action: ELB.Action, at: string): void {
  const groups = action.ForwardConfig?.TargetGroups ?? [];
  if (groups.length === 0 && !action.TargetGroupArn) {
    throw badAction(`${at}: a forward action needs a TargetGroupArn or a ForwardConfig with target groups`);
  }
  if (groups.length > 5) throw badAction(`${at}: a forward action can name at most 5 target groups`);
  if (action.TargetGroupArn && groups.length > 0) {
    if (groups.length !== 1 || groups[0]!.TargetGroupArn !== action.TargetGroupArn) {
      throw badAction(
        `${at}: with both TargetGroupArn and ForwardConfig, ForwardConfig must name that one target group only`,
      );
    }
  }
  const arns = groups.length > 0 ? groups.map((g) => g.TargetGroupArn ?? "") : [action.TargetGroupArn!];
  if (new Set(arns).size !== arns.length) throw badAction(`${at}: a target group can be named only once`);
  for (const arn of arns) {
    if (!state.targetGroups.has(arn)) throw new SimError("TargetGroupNotFound", "One or more target groups not found");
  }
  for (const g of groups) {
    const weight = g.Weight ?? 1;
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
      throw invalid(`${at}: a target group's Weight must be a whole number from 0 to ${MAX_WEIGHT}, got ${weight}`);
    }
  }
  const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
  if (stickiness?.Enabled) {
    const seconds = stickiness.DurationSeconds;
    if (seconds === undefined || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_STICKINESS_SECONDS) {
      throw invalid(
        `${at}: target group stickiness needs DurationSeconds from 1 to ${MAX_STICKINESS_SECONDS}, got ${seconds}`,
      );
    }
  }
}

const NETWORK_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP"];

/** A listener's default actions or a rule's actions: known types, one routing action, last in order. */
export function checkActions(state: WorldState, actions: ELB.Action[] | undefined, protocol: string): void {
  if (!actions || actions.length === 0) throw invalid("At least one action must be specified");
  if (actions.length > 5) throw new SimError("TooManyActions", "A rule can have at most 5 actions");
  const types = Object.values(elbEnums.ActionTypeEnum) as string[];
  actions.forEach((a, i) => {
    const at = `actions.${i + 1}`;
    if (!types.includes(a.Type ?? "")) {
      throw invalid(
        `1 validation error detected: Value '${a.Type}' at '${at}.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${types.join(", ")}]`,
      );
    }
    if (actions.length > 1 && a.Order === undefined)
      throw invalid(`${at}: Order is required with more than one action`);
    if (NETWORK_PROTOCOLS.includes(protocol) && a.Type !== "forward") {
      throw badAction(`${at}: a Network Load Balancer listener takes only forward actions`);
    }
    if (a.Type === "forward") checkForward(state, a, at);
    if (a.Type === "redirect" && !a.RedirectConfig?.StatusCode)
      throw badAction(`${at}: RedirectConfig.StatusCode is required`);
    if (a.Type === "fixed-response" && !/^[2-5]\d\d$/.test(a.FixedResponseConfig?.StatusCode ?? "")) {
      throw badAction(`${at}: FixedResponseConfig.StatusCode must be an HTTP status code from 200 to 599`);
    }
    if (a.Type?.startsWith("authenticate-") && protocol !== "HTTPS") {
      throw badAction(`${at}: authenticate actions are supported only on HTTPS listeners`);
    }
  });
  const ordered = [...actions].sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));
  const routing = ordered.filter((a) => ROUTING.has(a.Type ?? ""));
  if (routing.length !== 1 || ordered.at(-1) !== routing[0]) {
    throw badAction("Exactly one forward, redirect or fixed-response action is required, and it must be the last");
  }
}

function valuesOf(c: ELB.RuleCondition): string[] {
  switch (c.Field) {
    case "path-pattern":
      return [...(c.Values ?? []), ...(c.PathPatternConfig?.Values ?? []), ...(c.PathPatternConfig?.RegexValues ?? [])];
    case "host-header":
      return [...(c.Values ?? []), ...(c.HostHeaderConfig?.Values ?? []), ...(c.HostHeaderConfig?.RegexValues ?? [])];
    case "http-header":
      return [...(c.HttpHeaderConfig?.Values ?? []), ...(c.HttpHeaderConfig?.RegexValues ?? [])];
    case "http-request-method":
      return c.HttpRequestMethodConfig?.Values ?? [];
    case "query-string":
      return (c.QueryStringConfig?.Values ?? []).map((v) => `${v.Key ?? ""}=${v.Value ?? ""}`);
    default:
      return c.SourceIpConfig?.Values ?? (c.SourceIpConfig?.IpAddressType ? [c.SourceIpConfig.IpAddressType] : []);
  }
}

export function checkConditions(conditions: ELB.RuleCondition[] | undefined): void {
  if (!conditions || conditions.length === 0) throw invalid("A rule must have at least one condition");
  conditions.forEach((c, i) => {
    const at = `conditions.${i + 1}`;
    if (!FIELDS.includes(c.Field ?? "")) {
      throw invalid(`${at}: Field must be one of ${FIELDS.join(", ")}, got '${c.Field}'`);
    }
    if (c.Field === "http-header") {
      const name = c.HttpHeaderConfig?.HttpHeaderName ?? "";
      if (!name) throw invalid(`${at}: an http-header condition needs HttpHeaderConfig.HttpHeaderName`);
      if (name.toLowerCase() === "host") throw invalid(`${at}: use a host-header condition for the Host header`);
    }
    const values = valuesOf(c);
    if (values.length === 0) throw invalid(`${at}: a '${c.Field}' condition needs at least one value`);
    if (values.some((v) => v.length === 0 || v.length > 128)) {
      throw invalid(`${at}: each value must be 1 to 128 characters`);
    }
  });
  for (const field of SINGLE) {
    if (conditions.filter((c) => c.Field === field).length > 1) {
      throw invalid(`A rule can have only one '${field}' condition`);
    }
  }
  const total = conditions.reduce((n, c) => n + valuesOf(c).length, 0);
  if (total > 5) throw invalid("A rule can have at most 5 condition values");
}

/** Conditions as ELBv2 describes them: a path or host given in Values is also shown in its Config. */
export function describedConditions(conditions: ELB.RuleCondition[]): ELB.RuleCondition[] {
  return conditions.map((c) => {
    const copy = structuredClone(c);
    if (c.Field === "path-pattern" && c.Values && !c.PathPatternConfig) copy.PathPatternConfig = { Values: c.Values };
    if (c.Field === "host-header" && c.Values && !c.HostHeaderConfig) copy.HostHeaderConfig = { Values: c.Values };
    return copy;
  });
}

export function checkPriority(priority: number | undefined, taken: (p: number) => boolean): number {
  if (priority === undefined || !Number.isInteger(priority) || priority < 1 || priority > 50_000) {
    throw invalid(
      `1 validation error detected: Value '${priority}' at 'priority' failed to satisfy constraint: Member must have value between 1 and 50000`,
    );
  }
  if (taken(priority)) throw new SimError("PriorityInUse", `Priority '${priority}' is currently in use`);
  return priority;
}
