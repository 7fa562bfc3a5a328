/** ECR registries per region: repositories, images with manifests (single, manifest list, OCI index), scans. */
import { createHash } from "node:crypto";
import { findingsOf } from "./findings.js";
import type { EcrImageSpec, EcrRepositorySpec, FindingSpec, ScanSpec } from "./spec.js";
import type { WorldState } from "./state.js";

export const MEDIA = {
  manifest: "application/vnd.docker.distribution.manifest.v2+json",
  list: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  config: "application/vnd.docker.container.image.v1+json",
  layer: "application/vnd.docker.image.rootfs.diff.tar.gzip",
} as const;

export interface EcrImage {
  digest: string;
  tags: string[];
  manifest: string;
  mediaType: string;
  sizeBytes: number;
  pushedAt: number;
  scan?: ScanSpec;
  findings?: FindingSpec[];
}

export interface EcrRepository {
  name: string;
  region: string;
  /** The account whose registry holds it. */
  registryId: string;
  arn: string;
  uri: string;
  createdAt: number;
  scanType: "BASIC" | "ENHANCED";
  images: EcrImage[];
}

const sha = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

function platformManifest(seed: string, oci: boolean): string {
  const layer = (n: number) => ({ mediaType: MEDIA.layer, size: 1000 + n * 7919, digest: sha(`${seed}/layer/${n}`) });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: oci ? MEDIA.ociManifest : MEDIA.manifest,
    config: { mediaType: MEDIA.config, size: 1469, digest: sha(`${seed}/config`) },
    layers: [layer(1), layer(2), layer(3)],
  });
}

/** How many images' generated findings stay in memory (the pages of a scan are read one after the other). */
const GENERATED_KEPT = 64;

export class EcrState {
  readonly repositories = new Map<string, EcrRepository>();
  private readonly generated = new Map<EcrImage, FindingSpec[]>();

  /** Scans that complete "after N seconds" count from here. */
  readonly loadedAt: number;

  constructor(readonly state: WorldState) {
    this.loadedAt = state.time;
  }

  /** `region/name` in the world's own registry, `account/region/name` in another account's. */
  key(region: string, name: string, registryId: string = this.state.accountId): string {
    return registryId === this.state.accountId ? `${region}/${name}` : `${registryId}/${region}/${name}`;
  }

  createRepository(spec: EcrRepositorySpec, now: number): EcrRepository {
    const region = spec.region ?? this.state.region;
    const account = spec.registryId ?? this.state.accountId;
    const repo: EcrRepository = {
      name: spec.name,
      region,
      registryId: account,
      arn: `arn:aws:ecr:${region}:${account}:repository/${spec.name}`,
      uri: `${account}.dkr.ecr.${region}.amazonaws.com/${spec.name}`,
      createdAt: now,
      scanType: spec.scanType ?? "BASIC",
      images: [],
    };
    this.repositories.set(this.key(region, spec.name, account), repo);
    for (const image of spec.images ?? []) this.push(repo, image, now);
    return repo;
  }

  /** Adds an image; a multi-arch one adds its per-platform manifests as untagged images too. */
  push(repo: EcrRepository, spec: EcrImageSpec, now: number): EcrImage {
    const seed = `${repo.uri}:${(spec.tags ?? []).join(",")}:${spec.digest ?? ""}`;
    const pushedAt = spec.pushedAt ? Date.parse(spec.pushedAt) : now;
    let manifest: string;
    let mediaType: string;
    if (spec.index) {
      const oci = spec.index.kind === "oci";
      const children = spec.index.platforms.map((platform) => {
        const body = platformManifest(`${seed}/${platform}`, oci);
        const child: EcrImage = {
          digest: sha(body),
          tags: [],
          manifest: body,
          mediaType: oci ? MEDIA.ociManifest : MEDIA.manifest,
          sizeBytes: spec.sizeBytes ?? 30_000_000,
          pushedAt,
          scan: spec.scan,
        };
        repo.images.push(child);
        const [os, architecture, variant] = platform.split("/");
        return {
          mediaType: child.mediaType,
          size: body.length,
          digest: child.digest,
          platform: { architecture, os, ...(variant ? { variant } : {}) },
        };
      });
      manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: oci ? MEDIA.ociIndex : MEDIA.list,
        manifests: children,
      });
      mediaType = oci ? MEDIA.ociIndex : MEDIA.list;
    } else {
      manifest = platformManifest(seed, false);
      mediaType = MEDIA.manifest;
    }
    for (const other of repo.images) other.tags = other.tags.filter((t) => !(spec.tags ?? []).includes(t));
    const image: EcrImage = {
      digest: spec.digest ?? sha(manifest),
      tags: spec.tags ?? [],
      manifest,
      mediaType,
      sizeBytes: spec.sizeBytes ?? 30_000_000,
      pushedAt,
      scan: spec.index ? undefined : spec.scan,
    };
    repo.images.push(image);
    return image;
  }

  /** An image by reference `ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME:TAG` or `…/NAME@sha256:…`. */
  resolve(ref: string): { digest: string; refs: string[] } | undefined {
    const { repo, image } = this.lookup(ref);
    if (!repo || !image) return undefined;
    return { digest: image.digest, refs: image.tags.map((t) => `${repo.uri}:${t}`) };
  }

  /** A reference into a repository this world holds, naming a tag or digest it does not: a pull of it fails. */
  missing(ref: string): boolean {
    const { repo, image } = this.lookup(ref);
    return repo !== undefined && image === undefined;
  }

  private lookup(ref: string): { repo?: EcrRepository; image?: EcrImage } {
    const match =
      /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(ref);
    if (!match) return {};
    const [, account, region, name, tag, digest] = match;
    const repo = this.repositories.get(this.key(region!, name!, account));
    const image = repo?.images.find((i) => (digest ? i.digest === digest : i.tags.includes(tag ?? "latest")));
    return { ...(repo ? { repo } : {}), ...(image ? { image } : {}) };
  }

  /**
   * An image's findings. Generated ones are made again from their seed when needed, keeping only the most recent
   * few: a world of 800 images × 2,000 findings would otherwise hold 1.6 million objects for its whole life.
   */
  findingsOf(image: EcrImage): FindingSpec[] {
    if (image.findings) return image.findings;
    if (!image.scan?.findings?.generate) {
      image.findings = findingsOf(image.scan?.findings);
      return image.findings;
    }
    let kept = this.generated.get(image);
    if (kept) this.generated.delete(image);
    else kept = findingsOf(image.scan.findings);
    this.generated.set(image, kept);
    for (const oldest of this.generated.keys()) {
      if (this.generated.size <= GENERATED_KEPT) break;
      this.generated.delete(oldest);
    }
    return kept;
  }

  /** The scan status at `now`: an IN_PROGRESS scan that completes after some seconds turns COMPLETE. */
  scanStatusAt(image: EcrImage, now: number): string | undefined {
    const scan = image.scan;
    if (!scan) return undefined;
    const status = scan.status ?? "COMPLETE";
    if (status === "IN_PROGRESS" && scan.completesAfterSeconds !== undefined) {
      return now >= this.loadedAt + scan.completesAfterSeconds * 1000 ? "COMPLETE" : "IN_PROGRESS";
    }
    return status;
  }
}
