/** The audit's data: what was asked, what was found. Renderers and the gate are pure functions of AuditReport. */
import type { RegisterTaskDefinitionRequest } from "@aws-sdk/client-ecs";
import type { Target } from "../engine/settings.js";
import type { IgnoreEntry, IgnoreList } from "./ignore-file.js";
import type { Severity } from "./severity.js";

export type AuditSource = "running" | "task-definition" | "deploy-context";

export interface AuditTarget extends Target {
  /** The deploy context's RegisterTaskDefinition input; required for `source: "deploy-context"`. */
  taskDefinition?: RegisterTaskDefinitionRequest;
  /** Where that task definition came from, for SARIF locations (a repository-relative path). */
  taskDefinitionFile?: string;
}

export interface AuditSettings {
  targets: AuditTarget[];
  source: AuditSource;
  /** How long to wait for a scan that is IN_PROGRESS or PENDING, in ms, from the start of the audit. */
  scanWaitTimeout: number;
  /** How often a scan in progress is polled, in ms (default 10 s). */
  scanPollInterval?: number;
  /** Upper bound on AWS calls in flight (default 8); the limit halves on throttling and creeps back up. */
  concurrency?: number;
  ignore?: IgnoreList;
}

/**
 * A container's audit outcome. COMPLETE and the ECR scan statuses are the image's; the rest say why no findings
 * could be read.
 */
export type RowStatus =
  | "COMPLETE"
  | "IN_PROGRESS"
  | "PENDING"
  | "FAILED"
  | "UNSUPPORTED_IMAGE"
  | "SCAN_ELIGIBILITY_EXPIRED"
  | "FINDINGS_UNAVAILABLE"
  | "LIMIT_EXCEEDED"
  | "IMAGE_ARCHIVED"
  | "NO_SCAN"
  | "NOT_SCANNABLE"
  | "IMAGE_NOT_FOUND"
  | "ACCESS_DENIED"
  | "SERVICE_NOT_FOUND"
  | "ERROR";

/** Statuses that mean the audit itself could not read something: a gate never passes over them silently. */
export const ERROR_STATUSES: readonly RowStatus[] = ["IMAGE_NOT_FOUND", "ACCESS_DENIED", "SERVICE_NOT_FOUND", "ERROR"];

export interface VulnerablePackage {
  name: string;
  version: string;
  fixedIn?: string;
}

export interface Finding {
  /** CVE or other vulnerability id, e.g. `CVE-2024-3094`. */
  id: string;
  severity: Severity;
  description: string;
  uri?: string;
  packages: VulnerablePackage[];
  cvss?: number;
  fixable: boolean;
  /** Basic scanning does not say whether a fix exists: such a finding is not counted as fixable, but
   * fail-on-fixable-only still fails on it rather than pass on missing information. */
  fixUnknown?: boolean;
  /** Inspector's analysis, present for enhanced scanning only (canarycage's `enhanced_analysis`). */
  enhanced?: {
    status?: string;
    exploitAvailable?: string;
    fixAvailable?: string;
    fixedInVersion?: string;
    score?: number;
  };
}

export interface IgnoredFinding {
  finding: Finding;
  rule: IgnoreEntry;
}

export interface ImageRef {
  /** The reference as the task declares or runs it. */
  image: string;
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ContainerAudit {
  name: string;
  image: string;
  tag?: string;
  /** The digest whose scan was read (the platform manifest of a multi-arch image). */
  digest?: string;
  /** The manifest list / OCI index digest, when the image is multi-arch. */
  indexDigest?: string;
  architecture: string;
  registryId?: string;
  registryRegion?: string;
  repository?: string;
  status: RowStatus;
  /** Why the status is not COMPLETE, and what to do. */
  reason?: string;
  scanCompletedAt?: number;
  findings: Finding[];
  ignored: IgnoredFinding[];
  /** How many running tasks run this container with this image (source `running`). */
  taskCount?: number;
}

export interface ServiceAudit {
  region: string;
  cluster: string;
  service: string;
  /** Where the images came from: `task-definition` when `running` was asked but no task runs. */
  source: AuditSource;
  sourceNote?: string;
  taskDefinitionArn?: string;
  taskDefinitionFile?: string;
  /** Set when the service itself could not be read; its containers are then unknown. */
  error?: { status: RowStatus; reason: string };
  containers: ContainerAudit[];
}

export interface ExpiredIgnore {
  entry: IgnoreEntry;
  message: string;
}

export interface AuditReport {
  /** Milliseconds since the epoch, from the injected clock. */
  scannedAt: number;
  source: AuditSource;
  services: ServiceAudit[];
  expiredIgnores: ExpiredIgnore[];
  ignoreFile?: string;
}

/**
 * What an audit concluded, as the front ends report it (step result, exit code, timeline, summary): the gate's
 * verdict, or why there is no report. An audit changes nothing, so it has no service to speak of.
 */
export interface AuditResult {
  result: "succeeded" | "failed";
  message: string;
}
