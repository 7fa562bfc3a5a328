/**
 * Which cluster and service a command acts on: an explicit value wins over service.json. The engine says so
 * in a notice when they differ (never silently).
 */
import type { DeployContext } from "./types.js";

export interface ResolvedTarget {
  cluster?: string;
  service?: string;
}

export function resolveTarget(
  explicit: { cluster?: string | undefined; service?: string | undefined },
  context?: DeployContext,
): ResolvedTarget {
  const cluster = explicit.cluster || context?.service.cluster;
  const service = explicit.service || context?.service.serviceName;
  return { ...(cluster ? { cluster } : {}), ...(service ? { service } : {}) };
}
