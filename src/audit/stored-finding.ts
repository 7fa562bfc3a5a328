/**
 * A finding as an audit holds it: six fields, with the severity, fix flags, CVSS score and description index
 * packed into one small integer. An audit can hold millions of findings; a plain object with a boxed score and
 * its own description string costs three times as much memory and garbage-collection work.
 */
import { SEVERITIES, type Severity } from "./severity.js";
import type { TextBlock } from "./text-block.js";
import type { Finding, VulnerablePackage } from "./types.js";

// bits 0-2 severity, 3 fixable, 4 fixUnknown, 5-11 CVSS × 10 (NO_SCORE: none, OTHER_SCORE: see `score`), 12+ text index
const FIXABLE = 1 << 3;
const FIX_UNKNOWN = 1 << 4;
const SCORE_SHIFT = 5;
const NO_SCORE = 127;
const OTHER_SCORE = 126;
const INDEX_SHIFT = 12;
/** Texts per block the packing can address (a findings page holds at most 1,000). */
export const MAX_TEXTS = 2 ** 18;

export interface FindingFields {
  id: string;
  severity: Severity;
  /** A string, or the index of the text in `texts`. */
  description: string | number;
  texts?: TextBlock;
  packages: VulnerablePackage[];
  fixable: boolean;
  fixUnknown?: boolean;
  cvss?: number;
  uri?: string;
  enhanced?: Finding["enhanced"];
}

function scoreCode(cvss: number | undefined): number {
  if (cvss === undefined) return NO_SCORE;
  const tenths = Math.round(cvss * 10);
  return tenths >= 0 && tenths <= 100 && tenths / 10 === cvss ? tenths : OTHER_SCORE;
}

export class StoredFinding implements Finding {
  readonly id: string;
  readonly packages: VulnerablePackage[];
  readonly enhanced: Finding["enhanced"];
  readonly uri: string | undefined;
  private readonly bits: number;
  private readonly text: string | TextBlock;

  constructor(f: FindingFields, score = scoreCode(f.cvss)) {
    const index = typeof f.description === "number" ? f.description : 0;
    if (index < 0 || index >= MAX_TEXTS) throw new RangeError(`StoredFinding: text index ${index}`);
    this.id = f.id;
    this.packages = f.packages;
    this.enhanced = f.enhanced;
    this.uri = f.uri;
    this.bits =
      SEVERITIES.indexOf(f.severity) |
      (f.fixable ? FIXABLE : 0) |
      (f.fixUnknown ? FIX_UNKNOWN : 0) |
      (score << SCORE_SHIFT) |
      (index << INDEX_SHIFT);
    if (typeof f.description === "string") this.text = f.description;
    else if (f.texts) this.text = f.texts;
    else throw new Error("StoredFinding: a text index needs its block");
  }

  get severity(): Severity {
    return SEVERITIES[this.bits & 7] as Severity;
  }

  get fixable(): boolean {
    return (this.bits & FIXABLE) !== 0;
  }

  get fixUnknown(): true | undefined {
    return (this.bits & FIX_UNKNOWN) !== 0 ? true : undefined;
  }

  get cvss(): number | undefined {
    const code = (this.bits >>> SCORE_SHIFT) & 127;
    if (code === NO_SCORE) return undefined;
    return code === OTHER_SCORE ? (this as unknown as ScoredFinding).score : code / 10;
  }

  get description(): string {
    return typeof this.text === "string" ? this.text : this.text.at(this.bits >>> INDEX_SHIFT);
  }

  /** The plain Finding: what JSON.stringify and test comparisons see. */
  toJSON(): Finding {
    const plain: Finding = {
      id: this.id,
      severity: this.severity,
      description: this.description,
      packages: this.packages,
      fixable: this.fixable,
    };
    if (this.fixUnknown) plain.fixUnknown = true;
    if (this.cvss !== undefined) plain.cvss = this.cvss;
    if (this.uri !== undefined) plain.uri = this.uri;
    if (this.enhanced !== undefined) plain.enhanced = this.enhanced;
    return plain;
  }
}

/** A score the packing cannot hold exactly (not a multiple of 0.1 between 0 and 10) keeps a field of its own. */
class ScoredFinding extends StoredFinding {
  readonly score: number;
  constructor(f: FindingFields & { cvss: number }) {
    super(f, OTHER_SCORE);
    this.score = f.cvss;
  }
}

export function storedFinding(f: FindingFields): StoredFinding {
  const score = scoreCode(f.cvss);
  return score === OTHER_SCORE ? new ScoredFinding(f as FindingFields & { cvss: number }) : new StoredFinding(f, score);
}
