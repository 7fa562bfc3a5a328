/**
 * The JSON text of a page of enhanced findings, written directly: what the model walk would write for
 * `enhanced()`'s objects (same members, same order), several times faster for 1,000-finding pages.
 * __tests__/sim/world/ecr-findings-text.test.ts holds it to the model walk.
 */
import type { EcrImage, EcrRepository } from "../ecr-state.js";
import type { FindingSpec } from "../spec.js";

const text = (value: string) => JSON.stringify(value);
const CVSS = ',"scoringVector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","source":"NVD","version":"3.1"}]';

export function enhancedFindingsText(
  items: FindingSpec[],
  repo: EcrRepository,
  image: EcrImage,
  account: string,
  at: number,
): string {
  const when = JSON.stringify(at / 1000);
  const head = `{"awsAccountId":${text(account)}`;
  const arn = `arn:aws:inspector2:${repo.region}:${account}:finding/${image.digest.slice(7, 39)}`;
  const observed = `,"firstObservedAt":${when},"lastObservedAt":${when},"packageVulnerabilityDetails":{"cvss":`;
  const resources =
    `,"resources":[{"details":{"awsEcrContainerImage":{"imageHash":${text(image.digest)},` +
    `"imageTags":${JSON.stringify(image.tags)},"pushedAt":${JSON.stringify(image.pushedAt / 1000)},` +
    `"registry":${text(account)},"repositoryName":${text(repo.name)}}},` +
    `"id":${text(`${repo.arn}/${image.digest}`)},"type":"AWS_ECR_CONTAINER_IMAGE"}]`;
  const parts = items.map((f) => {
    const uri = f.uri === undefined ? undefined : text(f.uri);
    const score = f.score === undefined ? "" : JSON.stringify(f.score);
    const pkg =
      (f.packageName === undefined ? "" : `,"name":${text(f.packageName)}`) +
      ',"packageManager":"OS"' +
      (f.packageVersion === undefined ? "" : `,"version":${text(f.packageVersion)}`) +
      (f.fixedInVersion === undefined ? "" : `,"fixedInVersion":${text(f.fixedInVersion)}`);
    const advice = f.fixedInVersion ? `Upgrade ${f.packageName} to ${f.fixedInVersion}` : "None Provided";
    return (
      `${head}${f.description === undefined ? "" : `,"description":${text(f.description)}`},"findingArn":${text(`${arn}${f.name.replace(/\D/g, "")}`)}${observed}` +
      (score === "" ? "[]" : `[{"baseScore":${score}${CVSS}`) +
      `,"referenceUrls":${f.uri ? `[${uri}]` : "[]"},"source":"NVD"` +
      (uri === undefined ? "" : `,"sourceUrl":${uri}`) +
      `,"vendorSeverity":${text(f.severity)},"vulnerabilityId":${text(f.name)}` +
      `,"vulnerablePackages":[{"arch":"x86_64"${pkg}}]},"remediation":{"recommendation":{"text":${text(advice)}}}` +
      `${resources}${score === "" ? "" : `,"score":${score}`},"severity":${text(f.severity)},"status":"ACTIVE"` +
      `,"title":${text(`${f.name} - ${f.packageName ?? "package"}`)},"type":"PACKAGE_VULNERABILITY"` +
      `,"updatedAt":${when},"fixAvailable":"${f.fixedInVersion ? "YES" : "NO"}","exploitAvailable":"NO"}`
    );
  });
  return `[${parts.join(",")}]`;
}
