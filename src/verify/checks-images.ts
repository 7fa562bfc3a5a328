/** Each container's image: it exists in ECR, it has the task's platform, and its scan passes fail-on. */
import { type AuditReport, gate } from "../audit/index.js";
import { ociArchitecture, pickPlatform } from "../audit/manifest.js";
import type { Check, Facts, ImageFact } from "./types.js";

export function imageChecks(facts: Facts): Check[] {
  const architecture = ociArchitecture(taskArchitecture(facts));
  return facts.images.flatMap((image) => [
    existsCheck(image),
    platformCheck(image, architecture),
    scanCheck(facts, image),
  ]);
}

function taskArchitecture(facts: Facts): string | undefined {
  return facts.taskDefinition.ok ? facts.taskDefinition.value?.runtimePlatform?.cpuArchitecture : undefined;
}

export function existsCheck(image: ImageFact): Check {
  const name = `image of ${image.container} exists (${image.image})`;
  if (image.notEcr) return { name, status: "SKIP", reason: image.notEcr };
  const read = image.manifest;
  if (!read) return { name, status: "SKIP", reason: "not read" };
  if (!read.ok) return { name, status: "NG", reason: read.error };
  return read.value
    ? { name, status: "OK", reason: "found in ECR" }
    : { name, status: "NG", reason: "ECR has no image with that tag or digest" };
}

export function platformCheck(image: ImageFact, architecture: string): Check {
  const name = `image of ${image.container} runs on linux/${architecture}`;
  if (image.notEcr) return { name, status: "SKIP", reason: "not an ECR image" };
  const manifest = image.manifest?.ok ? image.manifest.value : undefined;
  if (!manifest) return { name, status: "SKIP", reason: "the image was not found" };
  const pick = pickPlatform(manifest.text, manifest.mediaType, architecture);
  if (pick.kind === "index")
    return { name, status: "OK", reason: `the index has linux/${architecture} (${pick.digest})` };
  if (pick.kind === "single") {
    return {
      name,
      status: "SKIP",
      reason: "a single-platform manifest does not name its platform (its config blob does, which cage does not read)",
    };
  }
  return { name, status: "NG", reason: pick.reason };
}

/** The audit's gate over this one container's row: the same verdict `audit` gives it. */
export function scanCheck(facts: Facts, image: ImageFact): Check {
  const { failOn, failOnFixableOnly, failOnUnscanned } = facts.settings;
  const name = `scan of ${image.container} passes ${facts.naming.input("fail-on")} ${failOn}`;
  if (image.notEcr) return { name, status: "SKIP", reason: "ECR scans only its own images" };
  if (!(image.manifest?.ok && image.manifest.value)) return { name, status: "SKIP", reason: "the image was not found" };
  if (!facts.audit) return { name, status: "SKIP", reason: "not audited" };
  if (!facts.audit.ok) return { name, status: "NG", reason: `the audit stopped: ${facts.audit.error}` };
  const one = onlyContainer(facts.audit.value, image.container);
  if (!one) return { name, status: "NG", reason: "the audit has no row for this container" };
  const verdict = gate(one, { failOn, fixableOnly: failOnFixableOnly, failOnUnscanned });
  return { name, status: verdict.failed ? "NG" : "OK", reason: verdict.reason };
}

function onlyContainer(report: AuditReport, container: string): AuditReport | undefined {
  const service = report.services[0];
  const row = service?.containers.find((c) => c.name === container);
  if (!service || !row) return undefined;
  return { ...report, services: [{ ...service, containers: [row] }] };
}
