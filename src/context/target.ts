/** Which cluster and service a command acts on: explicit values win over service.json, with a notice, never silently. */
import type { DeployContext } from "./types.js";

export interface Explicit {
  value?: string;
  /** How the user gave it, for the notice: `--cluster`, `'cluster' input`, `CAGE_CLUSTER`. */
  label: string;
}

export interface ResolvedTarget {
  cluster?: string;
  service?: string;
  notices: string[];
}

function pick(
  what: string,
  explicit: Explicit,
  fromFile: string | undefined,
  file: string,
): [string | undefined, string[]] {
  if (explicit.value && fromFile && explicit.value !== fromFile) {
    return [
      explicit.value,
      [
        `${explicit.label} '${explicit.value}' differs from ${what} '${fromFile}' in ${file}; using '${explicit.value}'`,
      ],
    ];
  }
  return [explicit.value || fromFile, []];
}

export function resolveTarget(cluster: Explicit, service: Explicit, context?: DeployContext): ResolvedTarget {
  const file = context?.serviceFile ?? "service.json";
  const [c, n1] = pick("cluster", cluster, context?.service.cluster, file);
  const [s, n2] = pick("serviceName", service, context?.service.serviceName, file);
  return { ...(c ? { cluster: c } : {}), ...(s ? { service: s } : {}), notices: [...n1, ...n2] };
}
