/** ECR's two finding shapes (basic scanning and Inspector's enhanced scanning) as one Finding. */
import type { EnhancedImageScanFinding, ImageScanFinding } from "@aws-sdk/client-ecr";
import { type Interner, noInterning } from "./intern.js";
import { severityOf } from "./severity.js";
import { type FindingFields, type StoredFinding, storedFinding } from "./stored-finding.js";
import type { TextBlock } from "./text-block.js";
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

/** One package list, shared by every finding that names the same packages and versions. */
function packagesOf(packages: VulnerablePackage[], intern: Interner): VulnerablePackage[] {
  const key = packages.map((p) => `${p.name}\u0000${p.version}\u0000${p.fixedIn ?? ""}`).join("\u0001");
  return intern.shared(`p\u0002${key}`, () =>
    packages.map((p) => {
      const pkg: VulnerablePackage = { name: intern.string(p.name), version: intern.string(p.version) };
      if (p.fixedIn !== undefined) pkg.fixedIn = intern.string(p.fixedIn);
      return pkg;
    }),
  );
}

/** A CVE's usual description is shared; any other goes to the page's `texts` (kept deflated), when given. */
function describe(fields: FindingFields, text: string, intern: Interner, texts: TextBlock | undefined): void {
  const usual = intern.usual(fields.id, text);
  if (usual !== undefined || !texts) {
    fields.description = usual ?? text;
  } else {
    fields.description = texts.add(text);
    fields.texts = texts;
  }
}

/**
 * `intern` shares equal values between the findings of one audit (see intern.ts); `texts` holds the
 * descriptions of the page being read that are not shared.
 */
export function fromBasic(finding: ImageScanFinding, intern: Interner = noInterning, texts?: TextBlock): StoredFinding {
  const fixedIn = attribute(finding, "fixed_in_version");
  const pkg: VulnerablePackage = {
    name: attribute(finding, "package_name") ?? UNKNOWN,
    version: attribute(finding, "package_version") ?? UNKNOWN,
  };
  if (!isNoFix(fixedIn)) pkg.fixedIn = fixedIn;
  const result: FindingFields = {
    id: intern.string(finding.name ?? UNKNOWN),
    severity: severityOf(finding.severity),
    description: "",
    packages: packagesOf([pkg], intern),
    fixable: pkg.fixedIn !== undefined,
  };
  describe(result, finding.description ?? "", intern, texts);
  if (fixedIn === undefined) result.fixUnknown = true;
  const cvss = numberOrUndefined(attribute(finding, "CVSS3_SCORE") ?? attribute(finding, "CVSS2_SCORE"));
  if (cvss !== undefined) result.cvss = cvss;
  if (finding.uri) result.uri = intern.string(finding.uri);
  return storedFinding(result);
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))];
}

export function fromEnhanced(
  finding: EnhancedImageScanFinding,
  intern: Interner = noInterning,
  texts?: TextBlock,
): StoredFinding {
  const details = finding.packageVulnerabilityDetails;
  const packages: VulnerablePackage[] = (details?.vulnerablePackages ?? []).map((p) => {
    const pkg: VulnerablePackage = { name: p.name ?? UNKNOWN, version: p.version ?? UNKNOWN };
    if (!isNoFix(p.fixedInVersion)) pkg.fixedIn = p.fixedInVersion;
    return pkg;
  });
  const fixedIn = unique(packages.map((p) => p.fixedIn));
  const fixAvailable = finding.fixAvailable?.toUpperCase();
  const cvss = finding.score ?? details?.cvss?.find((c) => c.baseScore !== undefined)?.baseScore;
  const { status, exploitAvailable, fixAvailable: said, score } = finding;
  const fixedInVersion = fixedIn.join(", ");
  const analysisKey = `e\u0002${status}\u0001${exploitAvailable}\u0001${said}\u0001${fixedInVersion}\u0001${score}`;
  const analysis = () => {
    const enhanced: NonNullable<Finding["enhanced"]> = {};
    if (status) enhanced.status = status;
    if (exploitAvailable) enhanced.exploitAvailable = exploitAvailable;
    if (said) enhanced.fixAvailable = said;
    if (fixedInVersion) enhanced.fixedInVersion = fixedInVersion;
    if (score !== undefined) enhanced.score = score;
    return enhanced;
  };
  const result: FindingFields = {
    id: intern.string(details?.vulnerabilityId ?? finding.title ?? UNKNOWN),
    severity: severityOf(finding.severity ?? details?.vendorSeverity),
    description: "",
    packages: packagesOf(packages.length > 0 ? packages : [{ name: UNKNOWN, version: UNKNOWN }], intern),
    fixable: fixAvailable === "YES" || fixAvailable === "PARTIAL" || (fixAvailable === undefined && fixedIn.length > 0),
    enhanced: intern.shared(analysisKey, analysis),
  };
  describe(result, finding.description ?? "", intern, texts);
  const uri = details?.sourceUrl ?? details?.referenceUrls?.[0];
  if (uri) result.uri = intern.string(uri);
  if (cvss !== undefined) result.cvss = cvss;
  return storedFinding(result);
}
