import { describe, expect, it } from "vitest";
import { fromBasic, fromEnhanced } from "../../src/audit/findings.js";
import { createInterner } from "../../src/audit/intern.js";
import { SEVERITIES } from "../../src/audit/severity.js";
import { storedFinding } from "../../src/audit/stored-finding.js";
import { TextBlock } from "../../src/audit/text-block.js";

describe("fromBasic", () => {
  it("reads the package, version and CVSS score from the attributes", () => {
    const finding = fromBasic({
      name: "CVE-2023-0001",
      severity: "HIGH",
      description: "overflow",
      uri: "https://security-tracker.debian.org/tracker/CVE-2023-0001",
      attributes: [
        { key: "package_name", value: "openssl" },
        { key: "package_version", value: "3.0.1" },
        { key: "CVSS2_SCORE", value: "7.5" },
      ],
    });
    expect(finding.toJSON()).toEqual({
      id: "CVE-2023-0001",
      severity: "HIGH",
      description: "overflow",
      uri: "https://security-tracker.debian.org/tracker/CVE-2023-0001",
      packages: [{ name: "openssl", version: "3.0.1" }],
      cvss: 7.5,
      fixable: false,
      fixUnknown: true,
    });
  });

  it("knows a fix exists when the attributes name a fixed version", () => {
    const finding = fromBasic({ name: "CVE-1", attributes: [{ key: "fixed_in_version", value: "1.2" }] });
    expect(finding).toMatchObject({ fixable: true, packages: [{ fixedIn: "1.2" }] });
    expect(finding.fixUnknown).toBeUndefined();
  });

  it("fills what is missing with unknown, and files an unknown severity as UNDEFINED", () => {
    const finding = fromBasic({ severity: "UNTRIAGED" as "UNDEFINED" });
    expect(finding).toMatchObject({
      id: "unknown",
      severity: "UNDEFINED",
      packages: [{ name: "unknown", version: "unknown" }],
    });
  });
});

describe("fromEnhanced", () => {
  const base = {
    severity: "CRITICAL",
    description: "backdoor",
    score: 10,
    status: "ACTIVE",
    exploitAvailable: "YES",
    packageVulnerabilityDetails: {
      vulnerabilityId: "CVE-2024-3094",
      sourceUrl: "https://nvd.nist.gov/vuln/detail/CVE-2024-3094",
      vendorSeverity: "LOW",
      vulnerablePackages: [
        { name: "xz-utils", version: "5.6.0", fixedInVersion: "5.6.2" },
        { name: "liblzma5", version: "5.6.0", fixedInVersion: "NotAvailable" },
      ],
    },
  };

  it("reads the id, packages with fixed versions, score and Inspector's analysis", () => {
    const finding = fromEnhanced({ ...base, fixAvailable: "PARTIAL" });
    expect(finding.toJSON()).toEqual({
      id: "CVE-2024-3094",
      severity: "CRITICAL",
      description: "backdoor",
      uri: "https://nvd.nist.gov/vuln/detail/CVE-2024-3094",
      packages: [
        { name: "xz-utils", version: "5.6.0", fixedIn: "5.6.2" },
        { name: "liblzma5", version: "5.6.0" },
      ],
      cvss: 10,
      fixable: true,
      enhanced: {
        status: "ACTIVE",
        exploitAvailable: "YES",
        fixAvailable: "PARTIAL",
        fixedInVersion: "5.6.2",
        score: 10,
      },
    });
  });

  it.each([
    ["YES", true],
    ["PARTIAL", true],
    ["NO", false],
    [undefined, true],
  ])("with fixAvailable %s, fixable is %s", (fixAvailable, fixable) => {
    expect(fromEnhanced({ ...base, fixAvailable }).fixable).toBe(fixable);
  });

  it("falls back to the vendor severity, the first reference URL and the CVSS base score", () => {
    const finding = fromEnhanced({
      packageVulnerabilityDetails: {
        vulnerabilityId: "CVE-2022-1",
        vendorSeverity: "MEDIUM",
        referenceUrls: ["https://example.test/1"],
        cvss: [{ baseScore: 5.3, version: "3.1" }],
      },
    });
    expect(finding).toMatchObject({ severity: "MEDIUM", uri: "https://example.test/1", cvss: 5.3, fixable: false });
  });
});

describe("findings of one audit share equal values", () => {
  const finding = (version: string, description: string) => ({
    severity: "HIGH",
    description,
    status: "ACTIVE",
    packageVulnerabilityDetails: {
      vulnerabilityId: "CVE-2024-3094",
      vulnerablePackages: [{ name: "xz-utils", version, fixedInVersion: "5.6.2" }],
    },
  });

  it("holds one package list, one analysis and one description for equal ones", () => {
    const intern = createInterner();
    const [a, b] = [finding("5.6.0", "backdoor"), finding("5.6.0", "backdoor")].map((f) => fromEnhanced(f, intern));
    expect(b).toEqual(a);
    expect(b!.packages).toBe(a!.packages);
    expect(b!.enhanced).toBe(a!.enhanced);
  });

  it("keeps what differs apart", () => {
    const intern = createInterner();
    const a = fromEnhanced(finding("5.6.0", "backdoor"), intern);
    const b = fromEnhanced(finding("5.6.1", "a backdoor in liblzma"), intern);
    expect(b.packages).toEqual([{ name: "xz-utils", version: "5.6.1", fixedIn: "5.6.2" }]);
    expect(a.packages[0]?.version).toBe("5.6.0");
    expect([a.description, b.description]).toEqual(["backdoor", "a backdoor in liblzma"]);
  });
});

describe("descriptions that differ from a CVE's usual one", () => {
  const page = (n: number, first: number) =>
    Array.from({ length: n }, (_, i) => ({
      severity: "LOW",
      description: `flaw number ${first + i} in a package of this image`,
      packageVulnerabilityDetails: { vulnerabilityId: "CVE-2024-0001" },
    }));

  it("are read back from their page's deflated block, whatever was read since", () => {
    const intern = createInterner();
    const pages = [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000].map((first) => {
      const texts = new TextBlock();
      const findings = page(100, first).map((f) => fromEnhanced(f, intern, texts));
      texts.seal();
      return findings;
    });
    // The first page's first finding set the CVE's usual text; every other one came from a block.
    expect(pages[0]![0]!.description).toBe("flaw number 0 in a package of this image");
    for (const [p, findings] of pages.entries()) {
      expect(findings.map((f) => f.description)).toEqual(page(100, p * 1000).map((f) => f.description));
    }
    // Backwards too, after every block was unpacked and most were evicted again.
    expect(pages[0]![99]!.description).toBe("flaw number 99 in a package of this image");
    expect(pages[9]![5]!.description).toBe("flaw number 9005 in a package of this image");
  });

  it("is held as the string itself when no block is given", () => {
    const intern = createInterner();
    const [a, b] = page(2, 0).map((f) => fromEnhanced(f, intern));
    expect([a!.description, b!.description]).toEqual(page(2, 0).map((f) => f.description));
  });
});

describe("a stored finding's packed fields", () => {
  const base = { id: "CVE-1", description: "d", packages: [], fixable: false };

  it.each([0, 0.1, 5.3, 9.8, 10])("keeps the score %s exactly", (cvss) => {
    expect(storedFinding({ ...base, severity: "HIGH", cvss }).cvss).toBe(cvss);
  });

  it.each([5.25, -1, 10.5, 1e-9, 123.4])("keeps a score it cannot pack, %s, beside", (cvss) => {
    expect(storedFinding({ ...base, severity: "HIGH", cvss }).cvss).toBe(cvss);
  });

  it.each(SEVERITIES.map((s) => [s]))("keeps the severity %s with every flag", (severity) => {
    for (const [fixable, fixUnknown] of [
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      const f = storedFinding({ ...base, severity, fixable, fixUnknown });
      expect([f.severity, f.fixable, f.fixUnknown, f.cvss]).toEqual([
        severity,
        fixable,
        fixUnknown ? true : undefined,
        undefined,
      ]);
    }
  });
});
