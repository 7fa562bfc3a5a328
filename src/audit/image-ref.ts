/** Image references (`registry/repo:tag@sha256:…`) and where their scan findings live. */
import type { ImageRef } from "./types.js";

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PRIVATE_ECR =
  /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws|sc2s\.sgov\.gov|c2s\.ic\.gov)$/;

/**
 * Splits an image reference the way Docker does: the first path part is a registry only when it has a `.` or
 * `:` or is `localhost`; the tag follows the last `:` after the last `/`; a digest follows `@`.
 */
export function parseImage(image: string): ImageRef | { error: string } {
  const text = image.trim();
  if (text === "") return { error: "the image is empty" };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { error: `'${digest}' is not an image digest like sha256:<64 hex digits>` };
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { error: `'${tag}' is not a valid image tag` };
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : undefined;
  const repository = hasRegistry ? rest.slice(slash + 1) : rest;
  if (repository === "" || /[^a-z0-9._/-]/.test(repository)) {
    return { error: `'${repository}' is not a valid repository name (lowercase letters, digits, . _ - /)` };
  }
  const ref: ImageRef = { image: text, repository };
  if (registry) ref.registry = registry;
  if (tag) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}

export type Registry = { kind: "ecr"; registryId: string; region: string } | { kind: "not-scannable"; reason: string };

/** Whether ECR holds scan findings for the image, and in which account and region. */
export function registryOf(ref: ImageRef): Registry {
  const host = ref.registry?.toLowerCase();
  const ecr = host ? PRIVATE_ECR.exec(host) : null;
  if (ecr) return { kind: "ecr", registryId: ecr[1] as string, region: ecr[2] as string };
  if (host === "public.ecr.aws") {
    return {
      kind: "not-scannable",
      reason:
        "public.ecr.aws images have no ECR scan findings; pull the image into a private repository " +
        "(an ECR pull-through cache rule) with scanning on to audit it",
    };
  }
  const where = host ?? "Docker Hub";
  return {
    kind: "not-scannable",
    reason:
      `${where} is not a private ECR registry, and ECR scans only its own images; ` +
      "copy the image into ECR (or use a pull-through cache rule) with scanning on to audit it",
  };
}

/** `team/web:v1@0123abcd`: the repository, the tag when known, and the first 8 hex digits of the digest. */
export function shortImage(repository: string, tag?: string, digest?: string): string {
  const name = repository;
  const short = digest ? `@${digest.replace(/^[^:]+:/, "").slice(0, 8)}` : "";
  return `${name}${tag ? `:${tag}` : ""}${short}`;
}
