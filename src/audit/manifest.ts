/** Multi-arch images: picking the platform manifest of a Docker manifest list or OCI index. */

export const MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** Asked of BatchGetImage so an index comes back as an index, not converted to one platform. */
export const ACCEPTED_MEDIA_TYPES = [MANIFEST_LIST, OCI_INDEX, DOCKER_MANIFEST, OCI_MANIFEST];

/** ECS's CPU architectures (runtimePlatform.cpuArchitecture, task attribute ecs.cpu-architecture) in OCI's words. */
export function ociArchitecture(ecsArchitecture: string | undefined): string {
  const arch = (ecsArchitecture ?? "X86_64").toLowerCase();
  if (arch === "x86_64" || arch === "amd64") return "amd64";
  if (arch === "arm64" || arch === "aarch64") return "arm64";
  return arch;
}

export type PlatformPick =
  | { kind: "single" }
  | { kind: "index"; digest: string }
  | { kind: "no-match"; reason: string }
  | { kind: "unreadable"; reason: string };

interface IndexEntry {
  digest?: string;
  mediaType?: string;
  platform?: { architecture?: string; os?: string; variant?: string };
  annotations?: Record<string, string>;
}

/**
 * Given a manifest and its media type, returns the digest to scan for an architecture (amd64, arm64): the
 * index entry for linux/<arch>, skipping attestation manifests (platform unknown/unknown).
 */
export function pickPlatform(
  manifestText: string | undefined,
  mediaType: string | undefined,
  architecture: string,
): PlatformPick {
  if (manifestText === undefined) return { kind: "single" };
  let manifest: { mediaType?: string; manifests?: IndexEntry[] };
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return { kind: "unreadable", reason: "the image manifest ECR returned is not JSON" };
  }
  const type = mediaType ?? manifest.mediaType;
  const isIndex = type === MANIFEST_LIST || type === OCI_INDEX || (!type && Array.isArray(manifest.manifests));
  if (!isIndex) return { kind: "single" };
  const entries = (manifest.manifests ?? []).filter(
    (m) => m.digest && m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest",
  );
  const match =
    entries.find((m) => m.platform?.architecture === architecture && (m.platform?.os ?? "linux") === "linux") ??
    entries.find((m) => m.platform?.architecture === architecture);
  if (match?.digest) return { kind: "index", digest: match.digest };
  const offered = entries
    .map((m) => `${m.platform?.os ?? "?"}/${m.platform?.architecture ?? "?"}`)
    .filter((p) => p !== "unknown/unknown");
  return {
    kind: "no-match",
    reason:
      `the multi-arch image has no linux/${architecture} manifest (it has ${offered.join(", ") || "none"}); ` +
      "the task cannot run it on this CPU architecture",
  };
}
