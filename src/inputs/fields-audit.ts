/** The audit's fields of the input table (see fields.ts). */
import type { FailOn, FailOnUnscanned } from "../audit/gate.js";
import type { AuditSource } from "../audit/types.js";
import { ACTION, BOTH, bool, CLI, choice, duration, type Field, text } from "./field.js";

export const AUDIT_SOURCES = ["running", "task-definition", "deploy-context"] as const satisfies AuditSource[];
export const FAIL_ON = ["critical", "high", "medium", "low", "any", "none"] as const satisfies FailOn[];
export const FAIL_ON_UNSCANNED = ["private", "all", "none"] as const satisfies FailOnUnscanned[];

/** Every value of the audit's own types is offered: the type checker stops here when the audit adds one. */
type Unoffered =
  | Exclude<AuditSource, (typeof AUDIT_SOURCES)[number]>
  | Exclude<FailOn, (typeof FAIL_ON)[number]>
  | Exclude<FailOnUnscanned, (typeof FAIL_ON_UNSCANNED)[number]>;
export const everyChoiceOffered: [Unoffered] extends [never] ? true : Unoffered = true;

export const AUDIT_FIELDS = {
  auditSource: {
    name: "audit-source",
    offeredBy: BOTH,
    flag: "value",
    default: "running",
    valueName: AUDIT_SOURCES.join("|"),
    description:
      "Which images `audit` reads: `running` (digests the tasks run), `task-definition` (the service's current one) or `deploy-context` (what `task-definition.json` is about to deploy).",
    help: "which images to audit",
    parse: choice(AUDIT_SOURCES),
  },
  failOn: {
    name: "fail-on",
    offeredBy: BOTH,
    flag: "value",
    default: "critical",
    cliDefault: "none",
    valueName: FAIL_ON.join("|"),
    description:
      "Fail the step when a finding is at or above this severity: `critical`, `high`, `medium`, `low`, `any` or `none`.",
    help: "exit non-zero when a finding is at or above this severity",
    parse: choice(FAIL_ON),
  },
  failOnFixableOnly: {
    name: "fail-on-fixable-only",
    offeredBy: BOTH,
    flag: "switch",
    default: "false",
    description: "Count only findings that have a fixed version when deciding `fail-on`.",
    help: "count only findings that have a fix for --fail-on",
    parse: bool,
  },
  failOnUnscanned: {
    name: "fail-on-unscanned",
    offeredBy: BOTH,
    flag: "value",
    default: "private",
    valueName: FAIL_ON_UNSCANNED.join("|"),
    description:
      "Fail the step when an image has no usable scan: `private` (images in private ECR repositories whose scan failed, is missing or unsupported, is still in progress after `scan-wait-timeout`, or whose findings could not be read; images ECR cannot scan, such as public registries, are a warning), `all` (those too) or `none` (warnings only).",
    help: "exit non-zero when an image has no usable scan: private ECR images, all (public ones too) or none",
    parse: choice(FAIL_ON_UNSCANNED),
  },
  ignoreFile: {
    name: "ignore-file",
    offeredBy: BOTH,
    flag: "value",
    valueName: "file",
    description:
      "Findings to ignore (YAML or JSON; CVE id, optional package or image, reason, expiry). Empty means `.cage-audit-ignore.yml` when it exists.",
    help: "findings to ignore (default .cage-audit-ignore.yml when present)",
    parse: text,
  },
  sarifFile: {
    name: "sarif-file",
    offeredBy: ACTION,
    flag: "value",
    description:
      "Write the audit as SARIF 2.1.0 to this path, for code scanning. With `audit-source: deploy-context` each result is located at the line of `task-definition.json` that declares the image; other sources locate it at the image's name, which is not a file of the repository. Beyond 25,000 results (the most code scanning accepts in one run) the most severe are written, with a warning.",
    parse: text,
  },
  sarif: {
    name: "sarif",
    offeredBy: CLI,
    flag: "value",
    valueName: "file",
    description: "write SARIF 2.1.0 for GitHub code scanning",
    parse: text,
  },
  detail: {
    name: "detail",
    offeredBy: BOTH,
    flag: "switch",
    default: "false",
    description: "List every finding (package, versions, score, link) in the summary, not only the counts.",
    help: "list findings grouped by severity",
    parse: bool,
  },
  scanWaitTimeout: {
    name: "scan-wait-timeout",
    offeredBy: BOTH,
    flag: "value",
    default: "5m",
    valueName: "duration",
    description: "Longest wait for an image scan that is still in progress.",
    help: "wait for scans in progress",
    parse: duration(false),
  },
} as const satisfies Record<string, Field>;
