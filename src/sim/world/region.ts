/**
 * One region of one account: its ECS, ELBv2 and EC2 resources and their handlers. As in AWS, nothing in one
 * region is seen from another (ECR, whose requests name their registry and region, is kept by the world).
 * Nothing is scheduled with timers: each operation first brings the region up to the caller's `now` by
 * running every lifecycle step, health check and scheduler pass due in between, in time order. The agenda
 * (agenda.ts) says what is due and which services have something new, so a request stays cheap.
 */
import type { OpHandler } from "../types.js";
import { evaluateAlarms, nextAlarmEvent } from "./alarm-triggers.js";
import { checkEcsReferences } from "./arns.js";
import { forgetStoppedTasks } from "./forget.js";
import { nextTargetEvent, stepTargetGroup } from "./health-checks.js";
import { nextChangeOf, statusAt } from "./lifecycle.js";
import { cloudwatchOps } from "./ops/cloudwatch.js";
import { ec2Ops } from "./ops/ec2.js";
import { definitionOps } from "./ops/ecs-definitions.js";
import { serviceDeploymentOps } from "./ops/ecs-service-deployments.js";
import { serviceOps } from "./ops/ecs-services.js";
import { taskOps } from "./ops/ecs-tasks.js";
import { elbv2Ops } from "./ops/elbv2.js";
import { listenerOps } from "./ops/elbv2-listeners.js";
import { nextSchedulerEvent, reconcile, wakeOf } from "./scheduler.js";
import type { ImageBehaviour } from "./spec.js";
import { type Task, WorldState } from "./state.js";

/** Operations that change nothing in the world. */
const READ_ONLY = /^(Describe|List|Get|BatchGet)/;

export interface RegionOptions {
  region: string;
  accountId: string;
  seed: number;
  start: number;
  /** Image behaviours, which the world file declares once for every region. */
  images?: Map<string, ImageBehaviour>;
  resolveImage?: WorldState["resolveImage"];
  imageMissing?: WorldState["imageMissing"];
}

export class Region {
  readonly state: WorldState;
  readonly operations: {
    ecs: Record<string, OpHandler>;
    elbv2: Record<string, OpHandler>;
    ec2: Record<string, OpHandler>;
    cloudwatch: Record<string, OpHandler>;
  };

  constructor(options: RegionOptions) {
    this.state = new WorldState(options.region, options.accountId, options.seed, options.start, options.images);
    if (options.resolveImage) this.state.resolveImage = options.resolveImage;
    if (options.imageMissing) this.state.imageMissing = options.imageMissing;
    const state = this.state;
    state.agenda.use({
      task: (task, now) => nextChangeOf(task, now, task.serviceName !== undefined),
      targetGroup: (tg) => nextTargetEvent(state, tg),
    });
    const now = () => state.time;
    this.operations = {
      ecs: this.wrap(
        {
          ...definitionOps(state, now),
          ...taskOps(state, now),
          ...serviceOps(state, now),
          ...serviceDeploymentOps(state, now),
        },
        true,
      ),
      elbv2: this.wrap({ ...elbv2Ops(state, now), ...listenerOps(state) }),
      ec2: this.wrap(ec2Ops(state, now)),
      cloudwatch: this.wrap(cloudwatchOps(state.alarms, state.metrics, now)),
    };
  }

  /** Every handler first brings the region to the caller's time, then lets the scheduler react to what it did. */
  wrap(ops: Record<string, OpHandler>, ecs = false): Record<string, OpHandler> {
    const wrapped: Record<string, OpHandler> = {};
    for (const [name, handler] of Object.entries(ops)) {
      const reads = READ_ONLY.test(name);
      wrapped[name] = (input, ctx) => {
        if (ecs) checkEcsReferences(input ?? {}, this.state);
        this.advanceTo(ctx.now);
        let out: unknown;
        try {
          out = handler(input ?? {}, ctx);
        } finally {
          if (!reads) this.state.agenda.everything(this.state.services.keys());
        }
        this.settle();
        return out;
      };
    }
    return wrapped;
  }

  /** Whether anything was ever made here (a region only looked at stays out of snapshots). */
  get isEmpty(): boolean {
    const s = this.state;
    return [s.vpcs, s.subnets, s.clusters, s.taskDefinitions, s.tasks, s.loadBalancers, s.targetGroups, s.alarms].every(
      (m) => m.size === 0,
    );
  }

  /** Runs everything due up to `now`, in time order. Time never goes back. */
  advanceTo(now: number): void {
    const state = this.state;
    for (;;) {
      const next = this.nextEventAfter(state.time);
      if (next === undefined || next > now) break;
      state.time = next;
      this.settle();
    }
    if (now > state.time) {
      state.time = now;
      this.settle();
    }
  }

  /** Lets health checks and the scheduler react now to a change made outside an operation (the control API). */
  settleNow(): void {
    this.settle();
  }

  /**
   * Health checks and scheduler passes at the current time. A service is passed over when nothing it depends on
   * changed since a pass of it that changed nothing: that pass would change nothing again.
   */
  private settle(): void {
    const { state } = this;
    const { agenda } = state;
    const t = state.time;
    forgetStoppedTasks(state, t);
    evaluateAlarms(state, t);
    agenda.due(t);
    for (const tg of state.targetGroups.values()) {
      const due = agenda.targetGroup(tg);
      if (due === undefined || due > t) continue;
      stepTargetGroup(state, tg, t);
      agenda.targetGroupChanged(tg);
    }
    if (this.watchesMetrics()) {
      const metricWorld = { ...state, isRunning: (task: Task, at: number) => statusAt(task, at) === "RUNNING" };
      state.metrics.step(metricWorld, state.alarms, t);
    }
    for (const svc of state.services.values()) {
      if (!agenda.dirty.has(svc.arn) && (agenda.wake.get(svc.arn) ?? Number.POSITIVE_INFINITY) > t) continue;
      const before = agenda.changes;
      reconcile(state, svc, t);
      if (agenda.changes !== before) continue;
      agenda.dirty.delete(svc.arn);
      const wake = wakeOf(state, svc, t);
      if (wake === undefined) agenda.wake.delete(svc.arn);
      else agenda.wake.set(svc.arn, wake);
    }
  }

  /** The earliest moment after `after` at which anything changes by itself. */
  nextEventAfter(after: number): number | undefined {
    let next: number | undefined;
    const consider = (at: number | undefined) => {
      if (at !== undefined && at > after && (next === undefined || at < next)) next = at;
    };
    consider(this.state.agenda.nextTaskChange(after));
    for (const tg of this.state.targetGroups.values()) consider(this.state.agenda.targetGroup(tg));
    for (const svc of this.state.services.values()) consider(nextSchedulerEvent(svc, after));
    consider(nextAlarmEvent(this.state, after));
    if (this.watchesMetrics()) consider(this.state.metrics.nextChange(this.state.alarms, after));
    return next;
  }

  /** Metric behaviours cost a pass over the tasks: only worlds that declare some pay it. */
  private watchesMetrics(): boolean {
    for (const behaviour of this.state.images.values()) if (behaviour.metrics?.length) return true;
    return false;
  }
}
