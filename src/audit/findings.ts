/** ECR's two finding shapes (basic scanning and Inspector's enhanced scanning) as one Finding. */
import type { EnhancedImageScanFinding, ImageScanFinding } from "@aws-sdk/client-ecr";
import { severityOf } from "./severity.js";
import type { Finding, VulnerablePackage } from "./types.js";

const UNKNOWN = "unknown";

function attribute(finding: ImageScanFinding, key: string): string | undefined {
  const value = finding.attributes?.find((a) => a.key === key)?.value;
  return value === undefined || value === "" ? undefined : value;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A fixed version that names no version. */
function isNoFix(version: string | undefined): boolean {
  return version === undefined || version === "" || /^(notavailable|none|n\/a)$/i.test(version);
}

export function fromBasic(finding: ImageScanFinding): Finding {
  const fixedIn = attribute(finding, "fixed_in_version");
  const pkg: VulnerablePackage = {
    name: attribute(finding, "package_name") ?? UNKNOWN,
    version: attribute(finding, "package_version") ?? UNKNOWN,
  };
  if (!isNoFix(fixedIn)) pkg.fixedIn = fixedIn;
  const result: Finding = {
    id: finding.name ?? UNKNOWN,
    severity: severityOf(finding.severity),
    description: finding.description ?? "",
    packages: [pkg],
    fixable: pkg.fixedIn !== undefined,
  };
  if (fixedIn === undefined) result.fixUnknown = true;
  const cvss = numberOrUndefined(attribute(finding, "CVSS3_SCORE") ?? attribute(finding, "CVSS2_SCORE"));
  if (cvss !== undefined) result.cvss = cvss;
  if (finding.uri) result.uri = finding.uri;
  return result;
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))];
}

export function fromEnhanced(finding: EnhancedImageScanFinding): Finding {
  const details = finding.packageVulnerabilityDetails;
  const packages: VulnerablePackage[] = (details?.vulnerablePackages ?? []).map((p) => {
    const pkg: VulnerablePackage = { name: p.name ?? UNKNOWN, version: p.version ?? UNKNOWN };
    if (!isNoFix(p.fixedInVersion)) pkg.fixedIn = p.fixedInVersion;
    return pkg;
  });
  const fixedIn = unique(packages.map((p) => p.fixedIn));
  const fixAvailable = finding.fixAvailable?.toUpperCase();
  const cvss = finding.score ?? details?.cvss?.find((c) => c.baseScore !== undefined)?.baseScore;
  const result: Finding = {
    id: details?.vulnerabilityId ?? finding.title ?? UNKNOWN,
    severity: severityOf(finding.severity ?? details?.vendorSeverity),
    description: finding.description ?? "",
    packages: packages.length > 0 ? packages : [{ name: UNKNOWN, version: UNKNOWN }],
    fixable: fixAvailable === "YES" || fixAvailable === "PARTIAL" || (fixAvailable === undefined && fixedIn.length > 0),
    enhanced: {},
  };
  const uri = details?.sourceUrl ?? details?.referenceUrls?.[0];
  if (uri) result.uri = uri;
  if (cvss !== undefined) result.cvss = cvss;
  const enhanced = result.enhanced ?? {};
  if (finding.status) enhanced.status = finding.status;
  if (finding.exploitAvailable) enhanced.exploitAvailable = finding.exploitAvailable;
  if (finding.fixAvailable) enhanced.fixAvailable = finding.fixAvailable;
  if (fixedIn.length > 0) enhanced.fixedInVersion = fixedIn.join(", ");
  if (finding.score !== undefined) enhanced.score = finding.score;
  return result;
}
