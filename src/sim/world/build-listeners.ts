/** Builds a world file's listeners and rules, as CreateListener and CreateRule would. */
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { SimError } from "../types.js";
import { WorldFileError } from "./load.js";
import { createListener, createRule } from "./ops/elbv2-listeners.js";
import type { ForwardSpec, WorldSpec } from "./spec.js";
import type { WorldState } from "./state.js";

function actionsOf(
  state: WorldState,
  forward: ForwardSpec[] | undefined,
  stickinessSeconds: number | undefined,
  actions: Record<string, unknown>[] | undefined,
): Action[] {
  if (!forward) return (actions ?? []) as unknown as Action[];
  const arnOf = (name: string) => [...state.targetGroups.values()].find((tg) => tg.name === name)?.arn;
  return [
    {
      Type: "forward",
      ForwardConfig: {
        TargetGroups: forward.map((f) => ({ TargetGroupArn: arnOf(f.targetGroup), Weight: f.weight ?? 1 })),
        TargetGroupStickinessConfig:
          stickinessSeconds === undefined ? { Enabled: false } : { Enabled: true, DurationSeconds: stickinessSeconds },
      },
    },
  ];
}

function asWorldError<T>(source: string, path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SimError) throw new WorldFileError(source, [`${path}: ${e.code}: ${e.message}`]);
    throw e;
  }
}

/** The listeners and rules of the world file; returns the rule ARN each world-file name stands for. */
export function buildListeners(state: WorldState, spec: WorldSpec, source: string): Map<string, string> {
  const names = new Map<string, string>();
  spec.listeners?.forEach((l, i) => {
    const lb = [...state.loadBalancers.values()].find((x) => x.name === l.loadBalancer)!;
    const listener = asWorldError(source, `$.listeners[${i}]`, () =>
      createListener(
        state,
        {
          LoadBalancerArn: lb.arn,
          Port: l.port,
          Protocol: l.protocol ?? (lb.type === "network" ? "TCP" : "HTTP"),
          DefaultActions: actionsOf(state, l.forward, l.stickinessSeconds, l.actions),
        },
        l.arn,
      ),
    );
    // ECS names an NLB's listener itself as the production (or test) "rule".
    if (l.name !== undefined) names.set(l.name, lb.type === "network" ? listener.arn : listener.defaultRule.arn);
    l.rules?.forEach((r, j) => {
      const rule = asWorldError(source, `$.listeners[${i}].rules[${j}]`, () =>
        createRule(
          state,
          {
            ListenerArn: listener.arn,
            Priority: r.priority,
            Conditions: r.conditions,
            Actions: actionsOf(state, r.forward, r.stickinessSeconds, r.actions),
          },
          r.arn,
        ),
      );
      if (r.name !== undefined) names.set(r.name, rule.arn);
    });
  });
  return names;
}
