/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per vulnerability id, one result per finding per container,
 * located at the line of task-definition.json that declares the container's image. Ignored findings are
 * results with a suppression, so code scanning shows them as dismissed rather than hiding them. GitHub rejects a
 * run of more than 25,000 results: beyond that, the most severe are written and the run says how many were left.
 */
import { imageLines } from "./locations.js";
import { rankOf, type Severity } from "./severity.js";
import { serviceLabel } from "./summary.js";
import type { AuditReport, ContainerAudit, Finding, ServiceAudit } from "./types.js";

export interface SarifOptions {
  /** The task-definition.json text of a single deploy context; used for services that name no file of their own. */
  taskDefinitionText?: string;
  /** Its path relative to the repository root, as code scanning shows it. */
  taskDefinitionFile?: string;
  /** Several deploy contexts: file path (as in each service's taskDefinitionFile) → its text. */
  files?: Record<string, string>;
  /** At most this many results (default SARIF_MAX_RESULTS). */
  maxResults?: number;
  /** Told when results were left out: how many were written, of how many. */
  onTruncated?: (written: number, total: number) => void;
}

/** GitHub code scanning's limit on results per run: a file with more is rejected. */
export const SARIF_MAX_RESULTS = 25_000;

interface Entry {
  s: ServiceAudit;
  c: ContainerAudit;
  f: Finding;
  suppression: string | undefined;
  order: number;
}

/** Open findings before ignored ones, then by severity, then by CVSS score. */
function moreUrgent(a: Entry, b: Entry): number {
  return (
    Number(a.suppression !== undefined) - Number(b.suppression !== undefined) ||
    rankOf(a.f.severity) - rankOf(b.f.severity) ||
    (b.f.cvss ?? -1) - (a.f.cvss ?? -1) ||
    a.order - b.order
  );
}

function entriesOf(report: AuditReport): Entry[] {
  const entries: Entry[] = [];
  for (const s of report.services) {
    for (const c of s.containers) {
      for (const f of c.findings) entries.push({ s, c, f, suppression: undefined, order: entries.length });
      for (const i of c.ignored)
        entries.push({ s, c, f: i.finding, suppression: i.rule.reason, order: entries.length });
    }
  }
  return entries;
}

/** GitHub's security-severity when a finding has no CVSS score. */
const SECURITY_SEVERITY: Record<Severity, number> = {
  CRITICAL: 9.5,
  HIGH: 8.0,
  MEDIUM: 5.5,
  LOW: 2.0,
  INFORMATIONAL: 0.0,
  UNDEFINED: 0.0,
};

function levelOf(severity: Severity): "error" | "warning" | "note" {
  if (severity === "CRITICAL" || severity === "HIGH") return "error";
  return severity === "MEDIUM" ? "warning" : "note";
}

function ruleOf(f: Finding) {
  const summary = f.description.split(/(?<=\.)\s/)[0] || f.id;
  return {
    id: f.id,
    name: f.id.replace(/[^A-Za-z0-9]/g, ""),
    shortDescription: { text: `${f.id} (${f.severity})` },
    fullDescription: { text: summary.length > 1000 ? `${summary.slice(0, 999)}…` : summary },
    ...(f.uri ? { helpUri: f.uri } : {}),
    help: { text: f.description || f.id },
    defaultConfiguration: { level: levelOf(f.severity) },
    properties: {
      tags: ["security", "vulnerability", f.severity.toLowerCase()],
      "security-severity": (f.cvss ?? SECURITY_SEVERITY[f.severity]).toFixed(1),
    },
  };
}

interface Place {
  uri: string;
  line: number;
}

/** The image without tag or digest: where a finding is when no task-definition file is known. */
function imageName(image: string): string {
  const name = image.split("@")[0] ?? image;
  const colon = name.lastIndexOf(":");
  return colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
}

function placeOf(s: ServiceAudit, c: ContainerAudit, options: SarifOptions, cache: Map<string, Map<string, number>>) {
  const file = s.taskDefinitionFile ?? options.taskDefinitionFile;
  const text = file !== undefined ? (options.files?.[file] ?? options.taskDefinitionText) : undefined;
  if (file === undefined) return { uri: imageName(c.image), line: 1 } satisfies Place;
  let lines = cache.get(file);
  if (!lines) {
    lines = text !== undefined ? imageLines(text) : new Map<string, number>();
    cache.set(file, lines);
  }
  return { uri: file, line: lines.get(c.name) ?? 1 } satisfies Place;
}

/**
 * What the scan says about a package's fix. Only enhanced scanning (Inspector's fixAvailable) can say that none
 * exists; basic scanning gives a fixed version or nothing, so without one the message says nothing about a fix.
 */
function fixOf(f: Finding, fixedIn: string | undefined): string {
  if (fixedIn) return ` (fixed in ${fixedIn})`;
  const said = f.enhanced?.fixAvailable?.toUpperCase();
  return said === "NO" || said === "PARTIAL" ? " (no fix yet)" : "";
}

function message(f: Finding, s: ServiceAudit, c: ContainerAudit): string {
  const packages = f.packages.map((p) => `${p.name} ${p.version}${fixOf(f, p.fixedIn)}`).join(", ");
  return `${f.id} (${f.severity}) in ${packages}, image ${c.image} of container ${c.name} in ${serviceLabel(s)}`;
}

export function renderSarif(report: AuditReport, options: SarifOptions = {}): string {
  const rules = new Map<string, ReturnType<typeof ruleOf>>();
  const ruleIndex = new Map<string, number>();
  const cache = new Map<string, Map<string, number>>();
  const max = options.maxResults ?? SARIF_MAX_RESULTS;
  const all = entriesOf(report);
  const kept =
    all.length <= max
      ? all
      : all
          .sort(moreUrgent)
          .slice(0, max)
          .sort((a, b) => a.order - b.order);
  if (kept.length < all.length) options.onTruncated?.(kept.length, all.length);
  const results = kept.map(({ s, c, f, suppression }) => {
    if (!rules.has(f.id)) {
      rules.set(f.id, ruleOf(f));
      ruleIndex.set(f.id, ruleIndex.size);
    }
    const place = placeOf(s, c, options, cache);
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id),
      level: levelOf(f.severity),
      message: { text: message(f, s, c) },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: place.uri }, region: { startLine: place.line } },
          message: { text: `${serviceLabel(s)} ${c.name}` },
        },
      ],
      partialFingerprints: {
        "cageAudit/v1": [s.region, s.cluster, s.service, c.name, f.id, ...f.packages.map((p) => p.name)].join("|"),
      },
      ...(suppression ? { suppressions: [{ kind: "external", justification: suppression }] } : {}),
    };
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "cage audit", rules: [...rules.values()] } },
        automationDetails: { id: `cage-audit/${report.source}/` },
        results,
        ...(kept.length < all.length
          ? {
              properties: {
                omittedResults: all.length - kept.length,
                note: `the ${kept.length} most severe of ${all.length} results; the audit's JSON report has them all`,
              },
            }
          : {}),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
