/** The canary soak's fields of the input table (see fields.ts): how long, and which CloudWatch alarms judge it. */
import { inert } from "../shared/inert.js";
import { BOTH, choice, duration, type Field, text } from "./field.js";
import { InputError, listOf } from "./validate.js";

export const INSUFFICIENT_DATA_POLICIES = ["ignore", "fail"] as const;

/** An alarm name (1 to 255 characters, no control characters), or a name prefix ending in `*`. */
const ALARM = /^[^\p{Cc}*]{1,255}\*?$/u;

export function alarmsOf(label: string, value: string): string[] {
  const entries = listOf(value);
  for (const entry of entries) {
    if (!ALARM.test(entry)) {
      throw new InputError(
        `${label} takes CloudWatch alarm names, or a name prefix ending in '*' (like web-5xx, web-*), separated by commas or newlines; got '${inert(entry)}'`,
      );
    }
  }
  return entries;
}

export const SOAK_FIELDS = {
  canarySoak: {
    name: "canary-soak",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_CANARY_SOAK"] },
    default: "0s",
    valueName: "duration",
    description:
      "How long the canary stays registered and takes its share of production traffic, once healthy in every target group, before the service is touched, e.g. `5m`; the alarms (`canary-alarms` and the service's deployment alarms) are watched meanwhile. `0s` skips the soak.",
    help: "how long the healthy canary takes traffic while alarms are watched (0s: no soak)",
    parse: duration(false),
  },
  canaryAlarms: {
    name: "canary-alarms",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_CANARY_ALARMS"] },
    valueName: "names",
    description:
      "CloudWatch alarms watched during the soak besides the service's own deployment alarms: names, or a name prefix ending in `*`, separated by commas or newlines. One going to ALARM fails the canary.",
    help: "CloudWatch alarms watched during the soak (names or prefix*)",
    parse: (value: string, at) => alarmsOf(at.label, value),
  },
  canaryAlarmsInsufficient: {
    name: "canary-alarms-insufficient",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_CANARY_ALARMS_INSUFFICIENT"] },
    default: "ignore",
    valueName: INSUFFICIENT_DATA_POLICIES.join("|"),
    description:
      "What a watched alarm in INSUFFICIENT_DATA does during the soak: `ignore` reports it, `fail` fails the canary.",
    help: "a watched alarm in INSUFFICIENT_DATA: ignore (report it) or fail",
    parse: choice(INSUFFICIENT_DATA_POLICIES),
  },
  canaryMetrics: {
    name: "canary-metrics",
    offeredBy: BOTH,
    flag: "value",
    env: { cli: ["CAGE_CANARY_METRICS"] },
    valueName: "file",
    description:
      "A YAML or JSON file of metric checks measured during the soak, in argo-rollouts style: each a CloudWatch GetMetricData query (a metric or metric math) with `interval`, `failure-condition` and/or `success-condition` (like `result > 0.01`) and `failure-limit`. A check whose failures exceed its limit fails the canary. Needs `canary-soak`.",
    help: "metric checks (YAML/JSON, GetMetricData queries with conditions) judged during the soak",
    parse: text,
  },
} as const satisfies Record<string, Field>;
