/**
 * `cage audit`: the ECR scan findings of every image the given services run, one result per container per
 * service. Nothing here decides pass or fail (gate.ts does) or prints (the render-* modules do).
 */
import type { AwsPorts, EcsPort } from "../aws/ports.js";
import type { EventSink } from "../engine/events.js";
import type { Clock } from "../shared/clock.js";
import { ignoreRuleFor, isExpired } from "./ignore-file.js";
import { AdaptiveLimiter } from "./limiter.js";
import { type ContainerImage, resolveServices } from "./resolve.js";
import { type ImageScan, ImageScanner } from "./scan.js";
import type {
  AuditReport,
  AuditSettings,
  AuditTarget,
  ContainerAudit,
  ExpiredIgnore,
  Finding,
  IgnoredFinding,
  ServiceAudit,
} from "./types.js";

export interface AuditDeps {
  aws: AwsPorts;
  clock: Clock;
  events?: EventSink;
  signal?: AbortSignal;
  /** ECS in a target's region, when targets span regions; `aws.ecs` serves every target otherwise. */
  ecsIn?: (region: string) => EcsPort;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_SCAN_POLL_INTERVAL = 10_000;

/** Code-unit order: the same on every machine, whatever its locale. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function uniqueTargets(targets: AuditTarget[]): AuditTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.region}\n${t.cluster}\n${t.service}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function split(findings: Finding[], names: string[], settings: AuditSettings, now: number) {
  if (!settings.ignore || settings.ignore.entries.length === 0) return { findings, ignored: [] };
  const kept: Finding[] = [];
  const ignored: IgnoredFinding[] = [];
  for (const finding of findings) {
    const subject = { id: finding.id, packages: finding.packages.map((p) => p.name), imageNames: names };
    const rule = ignoreRuleFor(settings.ignore, subject, now);
    if (rule) ignored.push({ finding, rule });
    else kept.push(finding);
  }
  return { findings: kept, ignored };
}

function containerAudit(c: ContainerImage, scan: ImageScan, settings: AuditSettings, now: number): ContainerAudit {
  const names = [c.image, ...(scan.repository ? [scan.repository] : [])];
  if (scan.registry && scan.repository) names.push(`${scan.registry}/${scan.repository}`);
  const { findings, ignored } = split(scan.findings, names, settings, now);
  const result: ContainerAudit = {
    name: c.name,
    image: c.image,
    architecture: c.architecture,
    status: scan.status,
    findings,
    ignored,
  };
  const optional = {
    tag: scan.tag,
    digest: scan.digest ?? c.runningDigest,
    indexDigest: scan.indexDigest,
    registryId: scan.registryId,
    registryRegion: scan.registryRegion,
    repository: scan.repository,
    reason: scan.reason,
    scanCompletedAt: scan.scanCompletedAt,
    taskCount: c.taskCount,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(result, { [key]: value });
  }
  return result;
}

function expiredIgnores(settings: AuditSettings, now: number): ExpiredIgnore[] {
  const list = settings.ignore;
  if (!list) return [];
  return list.entries
    .filter((e) => isExpired(e, now))
    .map((entry) => ({
      entry,
      message:
        `${list.file}:${entry.line}: the ignore entry for ${entry.id} expired on ${entry.expires} and no longer ` +
        `ignores it (reason given: ${entry.reason}); fix the vulnerability, or renew 'expires' if the reason still holds`,
    }));
}

export async function audit(settings: AuditSettings, deps: AuditDeps): Promise<AuditReport> {
  const { clock, signal } = deps;
  const emit: EventSink = (event) => deps.events?.(event);
  const started = clock.now();
  emit({
    type: "phase-started",
    phase: "audit",
    at: started,
    detail: `${settings.targets.length} service(s), source ${settings.source}`,
  });
  const limiter = new AdaptiveLimiter({
    max: settings.concurrency ?? DEFAULT_CONCURRENCY,
    clock,
    ...(signal ? { signal } : {}),
    onThrottle: (limit) =>
      emit({
        type: "notice",
        level: "info",
        at: clock.now(),
        message: `AWS throttled the audit; concurrency lowered to ${limit}`,
      }),
  });
  const targets = uniqueTargets(settings.targets);
  const resolved = await resolveServices(targets, settings.source, {
    ecsIn: deps.ecsIn ?? (() => deps.aws.ecs),
    limiter,
    ...(signal ? { signal } : {}),
  });
  const scanner = new ImageScanner({
    ecrIn: (region) => deps.aws.ecrIn(region),
    limiter,
    clock,
    deadline: started + settings.scanWaitTimeout,
    waited: settings.scanWaitTimeout,
    pollInterval: settings.scanPollInterval ?? DEFAULT_SCAN_POLL_INTERVAL,
    ...(signal ? { signal } : {}),
    onWaiting: (image, status) =>
      emit({
        type: "heartbeat",
        phase: "audit",
        at: clock.now(),
        message: `waiting for the scan of ${image} (${status})`,
      }),
  });
  const services = await Promise.all(
    resolved.map(async (r): Promise<ServiceAudit> => {
      const { region, cluster, service } = r.target;
      const audited: ServiceAudit = { region, cluster, service, source: r.source, containers: [] };
      if (r.sourceNote) audited.sourceNote = r.sourceNote;
      if (r.taskDefinitionArn) audited.taskDefinitionArn = r.taskDefinitionArn;
      if (r.target.taskDefinitionFile) audited.taskDefinitionFile = r.target.taskDefinitionFile;
      if (r.error) audited.error = r.error;
      const containers = await Promise.all(
        r.containers.map(async (c) =>
          containerAudit(c, await scanner.scan(c.image, c.architecture, c.runningDigest), settings, started),
        ),
      );
      audited.containers = containers.sort(
        (a, b) => compare(a.name, b.name) || compare(a.digest ?? a.image, b.digest ?? b.image),
      );
      return audited;
    }),
  );
  const expired = expiredIgnores(settings, started);
  for (const e of expired) emit({ type: "notice", level: "warning", at: clock.now(), message: e.message });
  const report: AuditReport = { scannedAt: started, source: settings.source, services, expiredIgnores: expired };
  if (settings.ignore) report.ignoreFile = settings.ignore.file;
  const errors = services.filter((s) => s.error).length;
  emit({
    type: "phase-finished",
    phase: "audit",
    at: clock.now(),
    outcome: errors > 0 ? "failed" : "ok",
    detail: `${services.reduce((n, s) => n + s.containers.length, 0)} container(s) in ${services.length} service(s)`,
  });
  return report;
}
