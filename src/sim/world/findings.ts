/** Scan findings: listed in the world file or generated deterministically from a seed. */
import { SEVERITIES } from "../../audit/index.js";
import { seeded } from "./ids.js";
import type { FindingSpec, FindingsSpec, Severity } from "./spec.js";

const PACKAGES = [
  "openssl",
  "glibc",
  "zlib",
  "curl",
  "libxml2",
  "busybox",
  "expat",
  "ncurses",
  "sqlite",
  "libssh2",
  "lodash",
  "minimist",
  "protobuf",
  "golang.org/x/net",
  "jackson-databind",
];

const WEIGHTS: [Severity, number][] = [
  ["CRITICAL", 0.05],
  ["HIGH", 0.2],
  ["MEDIUM", 0.4],
  ["LOW", 0.25],
  ["INFORMATIONAL", 0.1],
];

function severityLine(severities: Partial<Record<Severity, number>> | undefined, count: number): Severity[] {
  if (severities) {
    return SEVERITIES.flatMap((s) => Array.from({ length: severities[s] ?? 0 }, () => s));
  }
  return Array.from({ length: count }, () => "MEDIUM" as Severity);
}

/** All findings of a scan: the listed ones, then the generated ones. */
export function findingsOf(spec: FindingsSpec | undefined): FindingSpec[] {
  const listed = spec?.list ?? [];
  const gen = spec?.generate;
  if (!gen) return listed;
  const rnd = seeded(gen.seed ?? 1);
  const fixed = severityLine(gen.severities, gen.count);
  const out: FindingSpec[] = [...listed];
  for (let i = 0; i < gen.count; i += 1) {
    let severity = fixed[i];
    if (!gen.severities) {
      const roll = rnd.random();
      let acc = 0;
      severity = WEIGHTS.find(([, w]) => {
        acc += w;
        return roll < acc;
      })?.[0];
    }
    const year = 2015 + Math.floor(rnd.random() * 11);
    const name = `CVE-${year}-${10000 + i}`;
    const pkg = PACKAGES[Math.floor(rnd.random() * PACKAGES.length)]!;
    const major = 1 + Math.floor(rnd.random() * 3);
    const minor = Math.floor(rnd.random() * 20);
    const fixable = rnd.random() < 0.7;
    out.push({
      name,
      severity: severity ?? "LOW",
      description: `A flaw in ${pkg} before ${major}.${minor + 1}.0 allows an attacker to cause a denial of service or execute code (${name}).`,
      uri: `https://nvd.nist.gov/vuln/detail/${name}`,
      packageName: pkg,
      packageVersion: `${major}.${minor}.${Math.floor(rnd.random() * 10)}`,
      fixedInVersion: fixable ? `${major}.${minor + 1}.0` : undefined,
      score: Math.round((severityScore(severity ?? "LOW") + rnd.random()) * 10) / 10,
    });
  }
  return out;
}

function severityScore(severity: Severity): number {
  return { CRITICAL: 9, HIGH: 7, MEDIUM: 5, LOW: 2, INFORMATIONAL: 0, UNDEFINED: 0 }[severity];
}

export function severityCounts(findings: FindingSpec[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}
