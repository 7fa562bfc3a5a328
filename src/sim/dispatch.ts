/**
 * One request in, one protocol-shaped response out, for every transport:
 * route → parse into the SDK input shape → IAM → faults → the world's handler → encode → journal.
 * Nothing here throws: unknown operations, malformed input and handler crashes all become the service's own
 * error shape.
 */

import type { SimClock } from "./clock.js";
import type { FaultPlan, FaultRule } from "./faults.js";
import { accessDeniedMessage, isAllowed, type PolicyDocument, requiredPermissions } from "./iam.js";
import type { Journal } from "./journal.js";
import { type ErrorSpec, wireError } from "./protocols/errors.js";
import { decodeInput, encodeError, encodeOutput, type WireRequest, type WireResponse } from "./protocols/index.js";
import { ShapeError } from "./protocols/schema.js";
import type { RetryHolds } from "./retry-hold.js";
import { route } from "./route.js";
import { type Operations, SimError } from "./types.js";

/** What the wire layer needs from a world. */
export interface SimWorld {
  operations: Operations;
  snapshot(): unknown;
  accountId?: string;
  /** Where requests that name no region go (the world file's region). */
  defaultRegion?: string;
}

export interface DispatchContext {
  nextRequestId: () => string;
  retries?: RetryHolds;
  /** The current world; read per request because `POST /_sim/world` can replace it. */
  world(): SimWorld;
  /** The world's IAM policy, when it has one. */
  policy(): PolicyDocument | undefined;
  clock: SimClock;
  faults: FaultPlan;
  journal: Journal;
}

/** A response (with its error code, if any), or `dropped`: the transport must cut the connection instead. */
export type DispatchResult = WireResponse & { dropped?: boolean; errorCode?: string };

/** Deterministic, UUID-shaped request ids: the same run gives the same ids. */
export function requestIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, "0")}`;
}

function faultError(service: Parameters<typeof wireError>[0], rule: FaultRule): ErrorSpec {
  switch (rule.effect) {
    case "throttle":
      return wireError(service, "throttle");
    case "serverError":
      return wireError(service, "serverError");
    case "unavailable":
      return wireError(service, "unavailable");
    default:
      return {
        code: rule.code ?? "InternalFailure",
        message: rule.message ?? "Injected fault",
        status: rule.status ?? 400,
      };
  }
}

export async function dispatch(ctx: DispatchContext, req: WireRequest): Promise<DispatchResult> {
  const release = ctx.clock.hold();
  ctx.retries?.arrived(req.headers);
  try {
    const res = await handle(ctx, req);
    if (res.status !== 200) ctx.retries?.finished(req.headers, res.status, res.errorCode);
    return res;
  } finally {
    release();
  }
}

async function handle(ctx: DispatchContext, req: WireRequest): Promise<DispatchResult> {
  const requestId = ctx.nextRequestId();
  const r = route(req);
  const service = r.model.id;
  const attempt = Number(/attempt=(\d+)/.exec(req.headers["amz-sdk-request"] ?? "")?.[1] ?? 1);
  const journal = (status: number, params: unknown, errorCode?: string, fault?: string) =>
    ctx.journal.record({
      time: ctx.clock.now(),
      service: r.ok ? service : "unknown",
      operation: r.action,
      params,
      status,
      attempt,
      requestId,
      ...(errorCode ? { errorCode } : {}),
      ...(fault ? { fault } : {}),
    });
  const fail = (spec: ErrorSpec, params?: unknown, fault?: string): DispatchResult => {
    journal(spec.status, params, spec.code, fault);
    return { ...encodeError(r.model, spec, requestId), errorCode: spec.code };
  };

  if (!r.ok) return fail(wireError(service, r.failure, r.message));
  const world = ctx.world();
  const op = r.model.operations.get(r.action);
  const handler = world.operations[service]?.[r.action];
  if (!op || !handler) {
    const what = op ? "is not implemented by the simulator" : "is not a valid operation";
    return fail(wireError(service, "unknownOperation", `${r.action} ${what} for ${r.model.signingName}`));
  }

  let input: unknown;
  try {
    input = decodeInput(r.model, op, r.payload);
  } catch (e) {
    if (e instanceof ShapeError) return fail(wireError(service, e.kind, e.message));
    return fail(wireError(service, "serverError", `The simulator could not read the ${r.action} request: ${e}`));
  }

  const policy = ctx.policy();
  const region = r.region ?? world.defaultRegion ?? "us-east-1";
  const where = { region, accountId: world.accountId ?? "123456789012" };
  const denied =
    policy &&
    requiredPermissions(r.model.iamPrefix ?? r.model.signingName, r.action, input, where).find(
      (p) => !isAllowed(policy, p.action, p.resource, p.context),
    );
  if (denied) {
    // The resource is named when it is what the policy does not cover, not when the action is never allowed.
    const resource = isAllowed(policy, denied.action, undefined, denied.context) ? denied.resource : undefined;
    return fail(wireError(service, "accessDenied", accessDeniedMessage(denied.action, resource)), input);
  }

  if (service === "ec2" && (input as { DryRun?: boolean }).DryRun === true) {
    const dryRun = {
      code: "DryRunOperation",
      status: 412,
      message: "Request would have succeeded, but DryRun flag is set.",
    };
    return fail(dryRun, input);
  }

  const decision = ctx.faults.decide(service, r.action);
  if (decision.latencyMs > 0) await ctx.clock.delay(decision.latencyMs);
  const failure = decision.failure;
  if (failure?.effect === "drop") {
    journal(0, input, undefined, "drop");
    return { status: 0, headers: {}, body: "", dropped: true };
  }
  if (failure) return fail(faultError(service, failure), input, failure.effect);
  const latency = decision.latencyMs > 0 ? "latency" : undefined;

  try {
    const opContext = {
      now: ctx.clock.now(),
      region,
      accountId: world.accountId ?? "123456789012",
      requestId,
    };
    const output = await handler(input, opContext);
    const response = encodeOutput(r.model, op, output, requestId);
    journal(response.status, input, undefined, latency);
    return response;
  } catch (e) {
    if (e instanceof SimError) return fail({ code: e.code, message: e.message, status: e.status }, input, latency);
    const message = `The simulator failed while handling ${r.action}: ${e instanceof Error ? e.message : String(e)}`;
    return fail(wireError(service, "serverError", message), input, latency);
  }
}
