/** ECR: repositories, images, manifests and scan findings (basic and enhanced). */
import type * as ECR from "@aws-sdk/client-ecr";
import { withJsonText } from "../../protocols/json.js";
import { type OpContext, type OpHandler, SimError } from "../../types.js";
import { paginate } from "../common.js";
import type { EcrImage, EcrRepository, EcrState } from "../ecr-state.js";
import { severityCounts } from "../findings.js";
import type { FindingSpec } from "../spec.js";
import { enhancedFindingsText } from "./ecr-findings-text.js";

const DESCRIPTIONS: Record<string, string> = {
  COMPLETE: "The scan was completed successfully.",
  ACTIVE: "Continuous scan is selected for image.",
  UNSUPPORTED_IMAGE: "The operating system and/or package manager are not supported.",
};

function idText(id: ECR.ImageIdentifier): string {
  return `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
}

function page<T>(items: T[], input: { nextToken?: string; maxResults?: number }, max = 1000) {
  if (input.maxResults !== undefined && (input.maxResults < 1 || input.maxResults > max)) {
    throw new SimError(
      "InvalidParameterException",
      `1 validation error detected: Value '${input.maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  }
  return paginate(items, input.nextToken, input.maxResults, 100, max);
}

export function ecrOps(ecr: EcrState, now: () => number): Record<string, OpHandler> {
  const account = ecr.state.accountId;
  /** Repositories live in a registry: the caller's account unless the request names another one. */
  const repoOf = (name: string | undefined, ctx: OpContext, registryId: string = account): EcrRepository => {
    const repo = ecr.repositories.get(ecr.key(ctx.region || ecr.state.region, name ?? "", registryId));
    if (!repo) {
      throw new SimError(
        "RepositoryNotFoundException",
        `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
      );
    }
    return repo;
  };
  const find = (repo: EcrRepository, id: ECR.ImageIdentifier): EcrImage | undefined =>
    repo.images.find(
      (i) => (!id.imageDigest || i.digest === id.imageDigest) && (!id.imageTag || i.tags.includes(id.imageTag)),
    );
  const imageOf = (repo: EcrRepository, id: ECR.ImageIdentifier): EcrImage => {
    const image = find(repo, id);
    if (!image) {
      throw new SimError(
        "ImageNotFoundException",
        `The image with imageId ${idText(id)} does not exist within the repository with name '${repo.name}' in the registry with id '${repo.registryId}'`,
      );
    }
    return image;
  };
  const scanStatus = (image: EcrImage): ECR.ImageScanStatus | undefined => {
    const status = ecr.scanStatusAt(image, now());
    if (!status) return undefined;
    const description = image.scan?.description ?? DESCRIPTIONS[status];
    return { status: status as ECR.ScanStatus, description };
  };
  const completedAt = () => new Date(ecr.loadedAt);
  return {
    DescribeRepositories: (input: ECR.DescribeRepositoriesCommandInput, ctx: OpContext) => {
      const region = ctx.region || ecr.state.region;
      const registry = input.registryId ?? account;
      const all = input.repositoryNames?.length
        ? input.repositoryNames.map((n) => repoOf(n, ctx, registry))
        : [...ecr.repositories.values()].filter((r) => r.region === region && r.registryId === registry);
      const { page: items, nextToken } = page(all, input);
      return {
        repositories: items.map(
          (r): ECR.Repository => ({
            repositoryArn: r.arn,
            registryId: r.registryId,
            repositoryName: r.name,
            repositoryUri: r.uri,
            createdAt: new Date(r.createdAt),
            imageTagMutability: "MUTABLE",
            imageScanningConfiguration: { scanOnPush: r.scanType === "BASIC" },
            encryptionConfiguration: { encryptionType: "AES256" },
          }),
        ),
        nextToken,
      };
    },
    DescribeImages: (input: ECR.DescribeImagesCommandInput, ctx: OpContext) => {
      const repo = repoOf(input.repositoryName, ctx, input.registryId);
      const tagStatus = input.filter?.tagStatus ?? "ANY";
      const all = input.imageIds?.length
        ? input.imageIds.map((id) => imageOf(repo, id))
        : repo.images.filter((i) => tagStatus === "ANY" || (tagStatus === "TAGGED") === i.tags.length > 0);
      const { page: items, nextToken } = page(all, input);
      return {
        imageDetails: items.map((i): ECR.ImageDetail => {
          const status = scanStatus(i);
          const findings = status?.status === "COMPLETE" ? ecr.findingsOf(i) : undefined;
          return {
            registryId: repo.registryId,
            repositoryName: repo.name,
            imageDigest: i.digest,
            imageTags: i.tags.length ? i.tags : undefined,
            imageSizeInBytes: i.sizeBytes,
            imagePushedAt: new Date(i.pushedAt),
            imageManifestMediaType: i.mediaType,
            artifactMediaType:
              i.mediaType.includes("list") || i.mediaType.includes("index")
                ? undefined
                : "application/vnd.docker.container.image.v1+json",
            imageScanStatus: status,
            imageScanFindingsSummary: findings
              ? {
                  imageScanCompletedAt: completedAt(),
                  vulnerabilitySourceUpdatedAt: completedAt(),
                  findingSeverityCounts: severityCounts(findings),
                }
              : undefined,
          };
        }),
        nextToken,
      };
    },
    ListImages: (input: ECR.ListImagesCommandInput, ctx: OpContext): ECR.ListImagesResponse => {
      const repo = repoOf(input.repositoryName, ctx, input.registryId);
      const tagStatus = input.filter?.tagStatus ?? "ANY";
      const ids = repo.images.flatMap((i): ECR.ImageIdentifier[] => {
        if (i.tags.length === 0) return tagStatus === "TAGGED" ? [] : [{ imageDigest: i.digest }];
        return tagStatus === "UNTAGGED" ? [] : i.tags.map((imageTag) => ({ imageDigest: i.digest, imageTag }));
      });
      const { page: items, nextToken } = page(ids, input);
      return { imageIds: items, nextToken };
    },
    BatchGetImage: (input: ECR.BatchGetImageCommandInput, ctx: OpContext): ECR.BatchGetImageResponse => {
      const repo = repoOf(input.repositoryName, ctx, input.registryId);
      const images: ECR.Image[] = [];
      const failures: ECR.ImageFailure[] = [];
      for (const id of input.imageIds ?? []) {
        const image = find(repo, id);
        if (!image) {
          const byTag = id.imageTag ? find(repo, { imageTag: id.imageTag }) : undefined;
          failures.push(
            byTag && id.imageDigest
              ? {
                  imageId: id,
                  failureCode: "ImageTagDoesNotMatchDigest",
                  failureReason: "Invalid image digest and image tag combination",
                }
              : { imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" },
          );
          continue;
        }
        images.push({
          registryId: repo.registryId,
          repositoryName: repo.name,
          imageId: { imageDigest: image.digest, imageTag: id.imageTag },
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
        });
      }
      return { images, failures };
    },
    // By tag, the tag goes (and the image with its last tag); by digest, the image with all its tags.
    BatchDeleteImage: (input: ECR.BatchDeleteImageCommandInput, ctx: OpContext): ECR.BatchDeleteImageResponse => {
      const repo = repoOf(input.repositoryName, ctx, input.registryId);
      const imageIds: ECR.ImageIdentifier[] = [];
      const failures: ECR.ImageFailure[] = [];
      for (const id of input.imageIds ?? []) {
        const image = find(repo, id);
        if (!image) {
          failures.push({ imageId: id, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
          continue;
        }
        if (id.imageTag && !id.imageDigest) image.tags = image.tags.filter((t) => t !== id.imageTag);
        if (id.imageDigest || image.tags.length === 0) repo.images = repo.images.filter((i) => i !== image);
        imageIds.push({ imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) });
      }
      return { imageIds, failures };
    },
    DescribeImageScanFindings: (input: ECR.DescribeImageScanFindingsCommandInput, ctx: OpContext) => {
      const repo = repoOf(input.repositoryName, ctx, input.registryId);
      if (!input.imageId?.imageDigest && !input.imageId?.imageTag) {
        throw new SimError("InvalidParameterException", "imageId must name an imageDigest or an imageTag.");
      }
      const id = input.imageId;
      const image = imageOf(repo, id);
      const status = scanStatus(image);
      if (!status) {
        throw new SimError(
          "ScanNotFoundException",
          `Image scan does not exist for the image with '${idText(id)}' in the repository with name '${repo.name}' in the registry with id '${repo.registryId}'`,
        );
      }
      const base = {
        registryId: repo.registryId,
        repositoryName: repo.name,
        imageId: { imageDigest: image.digest, imageTag: id.imageTag },
        imageScanStatus: status,
      };
      if (status.status !== "COMPLETE" && status.status !== "ACTIVE") return base;
      const all = ecr.findingsOf(image);
      const { page: items, nextToken } = page(all, input);
      const summary = {
        imageScanCompletedAt: completedAt(),
        vulnerabilitySourceUpdatedAt: completedAt(),
        findingSeverityCounts: severityCounts(all),
      };
      const findings =
        repo.scanType === "ENHANCED"
          ? {
              enhancedFindings: withJsonText(
                items.map((f) => enhanced(f, repo, image, repo.registryId, ecr.loadedAt)),
                () => enhancedFindingsText(items, repo, image, repo.registryId, ecr.loadedAt),
              ),
            }
          : { findings: items.map(basic) };
      return { ...base, imageScanFindings: { ...summary, ...findings }, nextToken };
    },
    GetRegistryScanningConfiguration: (_input: unknown, ctx: OpContext) => {
      const region = ctx.region || ecr.state.region;
      const enhancedAny = [...ecr.repositories.values()].some((r) => r.region === region && r.scanType === "ENHANCED");
      return {
        registryId: account,
        scanningConfiguration: {
          scanType: enhancedAny ? "ENHANCED" : "BASIC",
          rules: [
            {
              scanFrequency: enhancedAny ? "CONTINUOUS_SCAN" : "SCAN_ON_PUSH",
              repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }],
            },
          ],
        },
      };
    },
  };
}

function basic(f: FindingSpec): ECR.ImageScanFinding {
  const attributes: ECR.Attribute[] = [];
  if (f.packageVersion) attributes.push({ key: "package_version", value: f.packageVersion });
  if (f.packageName) attributes.push({ key: "package_name", value: f.packageName });
  if (f.score !== undefined) {
    attributes.push(
      { key: "CVSS2_VECTOR", value: "AV:N/AC:L/Au:N/C:P/I:P/A:P" },
      { key: "CVSS2_SCORE", value: String(f.score) },
    );
  }
  return { name: f.name, description: f.description, uri: f.uri, severity: f.severity, attributes };
}

function enhanced(
  f: FindingSpec,
  repo: EcrRepository,
  image: EcrImage,
  account: string,
  at: number,
): ECR.EnhancedImageScanFinding {
  const when = new Date(at);
  return {
    awsAccountId: account,
    description: f.description,
    findingArn: `arn:aws:inspector2:${repo.region}:${account}:finding/${image.digest.slice(7, 39)}${f.name.replace(/\D/g, "")}`,
    firstObservedAt: when,
    lastObservedAt: when,
    updatedAt: when,
    severity: f.severity,
    score: f.score,
    status: "ACTIVE",
    title: `${f.name} - ${f.packageName ?? "package"}`,
    type: "PACKAGE_VULNERABILITY",
    fixAvailable: f.fixedInVersion ? "YES" : "NO",
    exploitAvailable: "NO",
    packageVulnerabilityDetails: {
      vulnerabilityId: f.name,
      source: "NVD",
      sourceUrl: f.uri,
      vendorSeverity: f.severity,
      referenceUrls: f.uri ? [f.uri] : [],
      cvss:
        f.score === undefined
          ? []
          : [
              {
                baseScore: f.score,
                scoringVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                source: "NVD",
                version: "3.1",
              },
            ],
      vulnerablePackages: [
        {
          name: f.packageName,
          version: f.packageVersion,
          fixedInVersion: f.fixedInVersion,
          packageManager: "OS",
          arch: "x86_64",
        },
      ],
    },
    remediation: {
      recommendation: { text: f.fixedInVersion ? `Upgrade ${f.packageName} to ${f.fixedInVersion}` : "None Provided" },
    },
    resources: [
      {
        id: `${repo.arn}/${image.digest}`,
        type: "AWS_ECR_CONTAINER_IMAGE",
        details: {
          awsEcrContainerImage: {
            repositoryName: repo.name,
            imageHash: image.digest,
            imageTags: image.tags,
            registry: account,
            pushedAt: new Date(image.pushedAt),
          },
        },
      },
    ],
  };
}
