import { describe, expect, it } from "vitest";
import { parseImage, registryOf, shortImage } from "../../src/audit/image-ref.js";

const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseImage", () => {
  it.each([
    ["nginx", { repository: "nginx" }],
    ["nginx:1.27", { repository: "nginx", tag: "1.27" }],
    ["library/nginx:1.27", { repository: "library/nginx", tag: "1.27" }],
    [`${ECR}/web:v1`, { registry: ECR, repository: "web", tag: "v1" }],
    [`${ECR}/team/web`, { registry: ECR, repository: "team/web" }],
    [`${ECR}/web@${DIGEST}`, { registry: ECR, repository: "web", digest: DIGEST }],
    [`${ECR}/web:v1@${DIGEST}`, { registry: ECR, repository: "web", tag: "v1", digest: DIGEST }],
    ["localhost:5000/app:dev", { registry: "localhost:5000", repository: "app", tag: "dev" }],
    ["public.ecr.aws/nginx/nginx:stable", { registry: "public.ecr.aws", repository: "nginx/nginx", tag: "stable" }],
  ])("reads %s", (image, expected) => {
    expect(parseImage(image)).toEqual({ image, ...expected });
  });

  it.each([
    ["", "empty"],
    [`${ECR}/web@sha256:xyz`, "not an image digest"],
    [`${ECR}/Web:v1`, "not a valid repository name"],
    [`${ECR}/web:-bad`, "not a valid image tag"],
  ])("rejects %j saying why", (image, why) => {
    const parsed = parseImage(image);
    expect("error" in parsed && parsed.error).toContain(why);
  });
});

describe("registryOf", () => {
  const of = (image: string) => {
    const ref = parseImage(image);
    if ("error" in ref) throw new Error(ref.error);
    return registryOf(ref);
  };

  it.each([
    [`${ECR}/web:v1`, "123456789012", "us-east-1"],
    [`210987654321.dkr.ecr.eu-west-3.amazonaws.com/api@${DIGEST}`, "210987654321", "eu-west-3"],
    ["111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/web", "111122223333", "cn-north-1"],
    ["111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web", "111122223333", "us-gov-west-1"],
    ["111122223333.dkr-ecr.ap-south-1.on.aws/web", "111122223333", "ap-south-1"],
  ])("finds the account and region of %s", (image, registryId, region) => {
    expect(of(image)).toEqual({ kind: "ecr", registryId, region });
  });

  it.each([
    ["public.ecr.aws/nginx/nginx:stable", "public.ecr.aws"],
    ["nginx:1.27", "Docker Hub"],
    ["ghcr.io/acme/app:1", "ghcr.io"],
    ["12345.dkr.ecr.us-east-1.amazonaws.com/web", "not a private ECR registry"],
  ])("reports %s as not scannable, with the reason", (image, mentioned) => {
    const registry = of(image);
    expect(registry.kind).toBe("not-scannable");
    expect(registry.kind === "not-scannable" && registry.reason).toContain(mentioned);
  });
});

describe("shortImage", () => {
  it.each([
    ["web", "v1", DIGEST, "web:v1@abababab"],
    ["team/web", undefined, DIGEST, "team/web@abababab"],
    ["web", "v1", undefined, "web:v1"],
  ])("shows %s %s %s as %s", (repository, tag, digest, shown) => {
    expect(shortImage(repository, tag, digest)).toBe(shown);
  });
});
