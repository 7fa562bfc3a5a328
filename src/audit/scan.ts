/**
 * One image's scan: the manifest (BatchGetImage, in the registry's own account and region), the platform
 * image of a multi-arch index, then every page of DescribeImageScanFindings, waiting while the scan runs.
 * Each manifest and each digest's findings are fetched once, however many containers and services share them.
 */
import type { DescribeImageScanFindingsCommandOutput, ImageIdentifier } from "@aws-sdk/client-ecr";
import type { EcrPort } from "../aws/ports.js";
import type { Clock } from "../shared/clock.js";
import { formatDuration } from "../shared/duration.js";
import { errorName, problemOf, type RowProblem } from "./errors.js";
import { fromBasic, fromEnhanced } from "./findings.js";
import { parseImage, registryOf } from "./image-ref.js";
import { createInterner } from "./intern.js";
import type { AdaptiveLimiter } from "./limiter.js";
import { ACCEPTED_MEDIA_TYPES, pickPlatform } from "./manifest.js";
import { TextBlock } from "./text-block.js";
import type { Finding, RowStatus } from "./types.js";

export interface ImageScan {
  status: RowStatus;
  reason?: string;
  repository?: string;
  registry?: string;
  registryId?: string;
  registryRegion?: string;
  tag?: string;
  digest?: string;
  indexDigest?: string;
  scanCompletedAt?: number;
  findings: Finding[];
}

export interface ScanDeps {
  ecrIn(region: string): EcrPort;
  limiter: AdaptiveLimiter;
  clock: Clock;
  /** The time after which a scan still in progress is reported as such. */
  deadline: number;
  waited: number;
  pollInterval: number;
  signal?: AbortSignal;
  onWaiting?: (image: string, status: string) => void;
}

interface Manifest {
  digest?: string;
  manifest?: string;
  mediaType?: string;
}

type Fetched = { findings: Finding[]; completedAt?: number } | RowProblem;

const WAITING = new Set(["IN_PROGRESS", "PENDING"]);
/** ECR scan statuses that mean no findings, each with what to do about it. */
const STATUS_HINTS: Record<string, string> = {
  FAILED: "start a new scan (aws ecr start-image-scan), and check the image's OS is one ECR supports",
  UNSUPPORTED_IMAGE:
    "ECR cannot scan this image's operating system or packages; use enhanced scanning or another scanner",
  SCAN_ELIGIBILITY_EXPIRED:
    "enhanced scanning no longer rescans this image (its scan duration ran out); push it again or lengthen the registry's scan duration",
  FINDINGS_UNAVAILABLE: "Inspector has no findings for this image any more; push it again or start a new scan",
  LIMIT_EXCEEDED: "the account reached its image-scan limit; ask AWS for a higher quota or scan fewer images",
  IMAGE_ARCHIVED: "the image is archived; restore it to scan it",
};
const SCAN_STATUSES = new Set(Object.keys(STATUS_HINTS));

export class ImageScanner {
  private readonly manifests = new Map<string, Promise<Manifest | RowProblem>>();
  private readonly scans = new Map<string, Promise<Fetched>>();
  /** Shared by every finding this audit reads: equal ids, packages and analyses are held once. */
  private readonly intern = createInterner();

  constructor(private readonly deps: ScanDeps) {}

  /** Scans `image` for a task of `architecture`; `runningDigest` pins it to what a task actually pulled. */
  async scan(image: string, architecture: string, runningDigest?: string): Promise<ImageScan> {
    const ref = parseImage(image);
    if ("error" in ref)
      return { status: "ERROR", reason: `cannot read the image reference '${image}': ${ref.error}`, findings: [] };
    const base: ImageScan = { status: "ERROR", repository: ref.repository, findings: [] };
    if (ref.registry) base.registry = ref.registry;
    if (ref.tag) base.tag = ref.tag;
    const registry = registryOf(ref);
    if (registry.kind === "not-scannable") return { ...base, status: "NOT_SCANNABLE", reason: registry.reason };
    base.registryId = registry.registryId;
    base.registryRegion = registry.region;
    const where = `repository ${ref.repository} of registry ${registry.registryId} in ${registry.region}`;
    const digest = runningDigest ?? ref.digest;
    const id: ImageIdentifier = digest ? { imageDigest: digest } : { imageTag: ref.tag ?? "latest" };
    const manifest = await this.manifestOf(registry.registryId, registry.region, ref.repository, id, where);
    if ("reason" in manifest) return { ...base, ...manifest };
    const resolved = manifest.digest ?? digest;
    const pick = pickPlatform(manifest.manifest, manifest.mediaType, architecture);
    if (pick.kind === "no-match" || pick.kind === "unreadable") {
      const status = pick.kind === "no-match" ? "IMAGE_NOT_FOUND" : "ERROR";
      return { ...base, digest: resolved, status, reason: `${pick.reason} (${where})` };
    }
    const scanned = pick.kind === "index" ? pick.digest : resolved;
    if (scanned === undefined) return { ...base, reason: `ECR returned no digest for ${image}` };
    const result: ImageScan = { ...base, digest: scanned };
    if (pick.kind === "index" && resolved) result.indexDigest = resolved;
    const fetched = await this.findingsOf(registry.registryId, registry.region, ref.repository, scanned, where);
    if ("reason" in fetched) return { ...result, ...fetched };
    result.status = "COMPLETE";
    result.findings = fetched.findings;
    if (fetched.completedAt !== undefined) result.scanCompletedAt = fetched.completedAt;
    return result;
  }

  private manifestOf(registryId: string, region: string, repository: string, id: ImageIdentifier, where: string) {
    const key = [registryId, region, repository, id.imageDigest ?? `:${id.imageTag}`].join("\n");
    let pending = this.manifests.get(key);
    if (!pending) {
      pending = this.fetchManifest(registryId, region, repository, id, where);
      this.manifests.set(key, pending);
    }
    return pending;
  }

  private async fetchManifest(
    registryId: string,
    region: string,
    repository: string,
    id: ImageIdentifier,
    where: string,
  ): Promise<Manifest | RowProblem> {
    const ecr = this.deps.ecrIn(region);
    const named = id.imageDigest ?? `tag ${id.imageTag}`;
    try {
      const out = await this.deps.limiter.run(() =>
        ecr.batchGetImage(
          { registryId, repositoryName: repository, imageIds: [id], acceptedMediaTypes: ACCEPTED_MEDIA_TYPES },
          this.deps.signal,
        ),
      );
      const image = out.images?.[0];
      if (image) {
        return {
          digest: image.imageId?.imageDigest,
          manifest: image.imageManifest,
          mediaType: image.imageManifestMediaType,
        };
      }
      const failure = out.failures?.[0];
      if (failure?.failureCode === "ImageNotFound" || !failure) {
        return {
          status: "IMAGE_NOT_FOUND",
          reason: `image ${named} does not exist in ${where}; it may have been deleted by a lifecycle policy, or the task definition names the wrong tag`,
        };
      }
      return {
        status: "ERROR",
        reason: `ecr:BatchGetImage for ${named} of ${where}: ${failure.failureCode}: ${failure.failureReason ?? ""}`,
      };
    } catch (error) {
      if (this.deps.signal?.aborted) throw error;
      if (errorName(error) === "RepositoryNotFoundException") {
        return {
          status: "IMAGE_NOT_FOUND",
          reason: `${where} does not exist; check the image URI's account, region and repository name`,
        };
      }
      return problemOf(error, `ecr:BatchGetImage on ${where}`, "ecr:BatchGetImage");
    }
  }

  private findingsOf(registryId: string, region: string, repository: string, digest: string, where: string) {
    const key = [registryId, region, repository, digest].join("\n");
    let pending = this.scans.get(key);
    if (!pending) {
      pending = this.fetchFindings(registryId, region, repository, digest, where);
      this.scans.set(key, pending);
    }
    return pending;
  }

  private async fetchFindings(
    registryId: string,
    region: string,
    repository: string,
    digest: string,
    where: string,
  ): Promise<Fetched> {
    const ecr = this.deps.ecrIn(region);
    const findings: Finding[] = [];
    let completedAt: number | undefined;
    let nextToken: string | undefined;
    try {
      for (;;) {
        const page: DescribeImageScanFindingsCommandOutput = await this.deps.limiter.run(() =>
          ecr.describeImageScanFindings(
            { registryId, repositoryName: repository, imageId: { imageDigest: digest }, maxResults: 1000, nextToken },
            this.deps.signal,
          ),
        );
        const status = page.imageScanStatus?.status ?? "COMPLETE";
        if (nextToken === undefined && WAITING.has(status)) {
          const now = this.deps.clock.now();
          if (now >= this.deps.deadline) {
            return {
              status: status as RowStatus,
              reason:
                `the scan of ${digest.slice(0, 19)} (${where}) was still ${status} after waiting ` +
                `${formatDuration(this.deps.waited)} (scan-wait-timeout); run the audit again later or raise scan-wait-timeout`,
            };
          }
          this.deps.onWaiting?.(`${repository}@${digest.slice(0, 19)}`, status);
          await this.deps.clock.sleep(Math.min(this.deps.pollInterval, this.deps.deadline - now), this.deps.signal);
          continue;
        }
        if (SCAN_STATUSES.has(status)) {
          const said = page.imageScanStatus?.description;
          return {
            status: status as RowStatus,
            reason: `ECR reports the scan as ${status}${said ? ` (${said})` : ""} for ${where}; ${STATUS_HINTS[status]}`,
          };
        }
        const scan = page.imageScanFindings;
        if (scan?.imageScanCompletedAt) completedAt = new Date(scan.imageScanCompletedAt).getTime();
        const texts = new TextBlock();
        for (const f of scan?.findings ?? []) findings.push(fromBasic(f, this.intern, texts));
        for (const f of scan?.enhancedFindings ?? []) findings.push(fromEnhanced(f, this.intern, texts));
        texts.seal();
        nextToken = page.nextToken;
        if (nextToken === undefined) break;
      }
    } catch (error) {
      if (this.deps.signal?.aborted) throw error;
      const name = errorName(error);
      if (name === "ScanNotFoundException") {
        return {
          status: "NO_SCAN",
          reason:
            `ECR has no scan for ${digest.slice(0, 19)} (${where}); turn on scan on push or enhanced scanning for the ` +
            `repository, or start one: aws ecr start-image-scan --registry-id ${registryId} --repository-name ${repository} --image-id imageDigest=${digest} --region ${region}`,
        };
      }
      if (name === "ImageNotFoundException" || name === "RepositoryNotFoundException") {
        return { status: "IMAGE_NOT_FOUND", reason: `image ${digest} does not exist in ${where}` };
      }
      return problemOf(error, `ecr:DescribeImageScanFindings on ${where}`, "ecr:DescribeImageScanFindings");
    }
    return completedAt === undefined ? { findings } : { findings, completedAt };
  }
}
