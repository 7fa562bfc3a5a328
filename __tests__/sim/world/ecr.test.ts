import { describe, expect, it } from "vitest";
import { Harness } from "./harness.js";

const web = (h: Harness, op: string, input: object = {}, region?: string) =>
  h.call("ecr", op, { repositoryName: "web", ...input }, region);

describe("ECR images and scans", () => {
  it("describes tagged images with their scan summary", () => {
    const h = Harness.demo();
    const details = web(h, "DescribeImages", { imageIds: [{ imageTag: "v2" }] }).imageDetails[0];
    expect(details.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(details.imageScanStatus.status).toBe("COMPLETE");
    expect(details.imageScanFindingsSummary.findingSeverityCounts).toEqual({ LOW: 1 });
    expect(details.imageManifestMediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
  });

  it("returns basic findings with CVE names, URIs and package attributes", () => {
    const h = Harness.demo();
    const out = web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v1" } });
    const finding = out.imageScanFindings.findings[0];
    expect(finding).toMatchObject({
      name: "CVE-2023-5678",
      severity: "MEDIUM",
      uri: "https://nvd.nist.gov/vuln/detail/CVE-2023-5678",
    });
    expect(finding.attributes).toContainEqual({ key: "package_name", value: "openssl" });
    expect(finding.attributes).toContainEqual({ key: "package_version", value: "3.0.11" });
  });

  it("pages 2000 generated enhanced findings up to 1000 at a time, the same for the same seed", () => {
    const h = Harness.demo("enhanced-2000");
    const pages: any[] = [];
    let nextToken: string | undefined;
    do {
      const out = web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v2" }, maxResults: 1000, nextToken });
      pages.push(out);
      nextToken = out.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.imageScanFindings.enhancedFindings.length)).toEqual([1000, 1000]);
    const counts = pages[0].imageScanFindings.findingSeverityCounts;
    expect(Object.values(counts).reduce((a: number, b: any) => a + b, 0)).toBe(2000);
    const first = pages[0].imageScanFindings.enhancedFindings[0];
    expect(first.packageVulnerabilityDetails.vulnerabilityId).toMatch(/^CVE-\d{4}-\d+$/);
    expect(["YES", "NO"]).toContain(first.fixAvailable);
    expect(typeof first.score).toBe("number");
    const again = web(Harness.demo("enhanced-2000"), "DescribeImageScanFindings", {
      imageId: { imageTag: "v2" },
      maxResults: 1,
    });
    expect(again.imageScanFindings.enhancedFindings[0]).toEqual(first);
    expect(() => web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v2" }, maxResults: 1001 })).toThrow(
      expect.objectContaining({ code: "InvalidParameterException" }),
    );
  });

  it("counts exactly the declared severities of generated findings", () => {
    const h = Harness.demo("critical-findings");
    const out = web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v2" } });
    expect(out.imageScanFindings.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 5, MEDIUM: 20, LOW: 13 });
  });

  it.each([
    ["scan-failed", "FAILED"],
    ["unsupported-image", "UNSUPPORTED_IMAGE"],
    ["scan-in-progress", "IN_PROGRESS"],
  ])("reports %s as status %s without findings", (variant, status) => {
    const h = Harness.demo(variant);
    const out = web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v2" } });
    expect(out.imageScanStatus.status).toBe(status);
    expect(out.imageScanFindings).toBeUndefined();
  });

  it("completes an in-progress scan after its declared time", () => {
    const h = Harness.demo("scan-in-progress");
    h.advance(120);
    const out = web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v2" } });
    expect(out.imageScanStatus.status).toBe("COMPLETE");
    expect(out.imageScanFindings.findings).toHaveLength(12);
  });

  it.each([
    ["multi-arch", "application/vnd.docker.distribution.manifest.list.v2+json"],
    ["oci-index", "application/vnd.oci.image.index.v1+json"],
  ])("serves %s as an index whose platform images have their own digests and scans", (variant, mediaType) => {
    const h = Harness.demo(variant);
    const image = web(h, "BatchGetImage", { imageIds: [{ imageTag: "v2" }] }).images[0];
    expect(image.imageManifestMediaType).toBe(mediaType);
    const manifest = JSON.parse(image.imageManifest);
    expect(manifest.manifests.map((m: any) => m.platform.architecture)).toEqual(["amd64", "arm64"]);
    const child = manifest.manifests[0].digest;
    expect(child).not.toBe(image.imageId.imageDigest);
    const childScan = web(h, "DescribeImageScanFindings", { imageId: { imageDigest: child } });
    expect(childScan.imageScanStatus.status).toBe("COMPLETE");
    expect(() => web(h, "DescribeImageScanFindings", { imageId: { imageTag: "v2" } })).toThrow(
      expect.objectContaining({ code: "ScanNotFoundException" }),
    );
  });

  it("reports unknown repositories, images and digests the way ECR does", () => {
    const h = Harness.demo();
    expect(() => h.call("ecr", "DescribeImages", { repositoryName: "api" })).toThrow(
      expect.objectContaining({ code: "RepositoryNotFoundException" }),
    );
    expect(() => web(h, "DescribeImages", { imageIds: [{ imageTag: "v9" }] })).toThrow(
      expect.objectContaining({ code: "ImageNotFoundException" }),
    );
    const missing = web(h, "BatchGetImage", { imageIds: [{ imageTag: "v9" }] });
    expect(missing.failures[0]).toMatchObject({ failureCode: "ImageNotFound" });
    expect(() => web(h, "DescribeImages", {}, "eu-west-1")).toThrow(
      expect.objectContaining({ code: "RepositoryNotFoundException" }),
    );
    expect(web(h, "DescribeRepositories", { repositoryNames: ["web"] }).repositories[0].repositoryUri).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/web",
    );
  });

  it("lists image ids by tag status", () => {
    const h = Harness.demo("multi-arch");
    const tagged = web(h, "ListImages", { filter: { tagStatus: "TAGGED" } }).imageIds;
    expect(tagged.map((i: any) => i.imageTag)).toEqual(["v1", "v2"]);
    expect(web(h, "ListImages", { filter: { tagStatus: "UNTAGGED" } }).imageIds).toHaveLength(2);
  });
});

describe("ECR registries of other accounts", () => {
  const partner = "210987654321";
  const h = () =>
    Harness.demo(undefined, (b) =>
      b.repository({
        name: "web",
        registryId: partner,
        images: [
          {
            tags: ["v1"],
            scan: { status: "COMPLETE", findings: { list: [{ name: "CVE-2020-5555", severity: "CRITICAL" }] } },
          },
        ],
      }),
    );

  it("answers from the registry the request names, and from the caller's own without one", () => {
    const world = h();
    const theirs = web(world, "DescribeImageScanFindings", { registryId: partner, imageId: { imageTag: "v1" } });
    const ours = web(world, "DescribeImageScanFindings", { imageId: { imageTag: "v1" } });
    expect(theirs.registryId).toBe(partner);
    expect(theirs.imageScanFindings.findings.map((f: any) => f.name)).toEqual(["CVE-2020-5555"]);
    expect(ours.registryId).toBe("123456789012");
    expect(ours.imageScanFindings.findings.map((f: any) => f.name)).not.toContain("CVE-2020-5555");
  });

  it("does not know the caller's repositories in another account's registry", () => {
    expect(() => web(h(), "BatchGetImage", { registryId: "111122223333", imageIds: [{ imageTag: "v1" }] })).toThrow(
      "does not exist in the registry with id '111122223333'",
    );
  });

  it("lists only the named registry's repositories", () => {
    const names = h()
      .call("ecr", "DescribeRepositories", { registryId: partner })
      .repositories.map((r: any) => [r.registryId, r.repositoryUri]);
    expect(names).toEqual([[partner, `${partner}.dkr.ecr.us-east-1.amazonaws.com/web`]]);
  });
});
