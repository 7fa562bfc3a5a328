import { describe, expect, it } from "vitest";
import { MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, ociArchitecture, pickPlatform } from "../../src/audit/manifest.js";

const AMD = `sha256:${"1".repeat(64)}`;
const ARM = `sha256:${"2".repeat(64)}`;
const ATTESTATION = `sha256:${"3".repeat(64)}`;

function index(mediaType: string) {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: [
      { digest: AMD, platform: { architecture: "amd64", os: "linux" } },
      { digest: ARM, platform: { architecture: "arm64", os: "linux", variant: "v8" } },
      {
        digest: ATTESTATION,
        platform: { architecture: "unknown", os: "unknown" },
        annotations: { "vnd.docker.reference.type": "attestation-manifest" },
      },
    ],
  });
}

describe("pickPlatform", () => {
  it.each([
    [MANIFEST_LIST, "amd64", AMD],
    [MANIFEST_LIST, "arm64", ARM],
    [OCI_INDEX, "amd64", AMD],
    [OCI_INDEX, "arm64", ARM],
  ])("picks from a %s the %s image", (mediaType, arch, digest) => {
    expect(pickPlatform(index(mediaType), mediaType, arch)).toEqual({ kind: "index", digest });
  });

  it("reads the media type from the manifest when ECR does not say it", () => {
    expect(pickPlatform(index(OCI_INDEX), undefined, "arm64")).toEqual({ kind: "index", digest: ARM });
  });

  it("treats a single-platform manifest as the image itself", () => {
    expect(pickPlatform(JSON.stringify({ mediaType: OCI_MANIFEST, layers: [] }), OCI_MANIFEST, "arm64")).toEqual({
      kind: "single",
    });
  });

  it("says which platforms a multi-arch image has when the task's is missing", () => {
    const pick = pickPlatform(index(OCI_INDEX), OCI_INDEX, "s390x");
    expect(pick.kind).toBe("no-match");
    expect(pick.kind === "no-match" && pick.reason).toContain("has linux/amd64, linux/arm64");
  });
});

describe("ociArchitecture", () => {
  it.each([
    [undefined, "amd64"],
    ["X86_64", "amd64"],
    ["ARM64", "arm64"],
    ["x86_64", "amd64"],
  ])("maps ECS %s to %s", (ecs, oci) => {
    expect(ociArchitecture(ecs)).toBe(oci);
  });
});
