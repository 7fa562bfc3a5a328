/**
 * The descriptions of one findings page, kept deflated once the page is read. An audit of 800 images × 2,000
 * findings whose descriptions differ holds ~200 MB of text that only the detail, JSON and SARIF outputs read,
 * mostly in page order; deflated, the same text takes a tenth of that.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";

/** How many blocks stay unpacked: readers go through a page's findings one after the other. */
const RECENT = 8;

export class TextBlock {
  private static readonly recent = new Map<TextBlock, string[]>();
  private texts: string[] | undefined = [];
  private packed: Buffer | undefined;

  /** Adds a text while the page is read; its index in this block. */
  add(text: string): number {
    if (!this.texts || this.packed) throw new Error("TextBlock: add after seal");
    return this.texts.push(text) - 1;
  }

  /** The page is read: from now on the texts are held deflated. */
  seal(): void {
    if (!this.texts || this.texts.length === 0) return;
    // Level 1: the text repeats within a page, so the fastest level already gains most of it.
    const deflated = deflateRawSync(JSON.stringify(this.texts), { level: 1 });
    // A copy: zlib returns the bytes inside a much larger chunk, which would stay alive with them.
    this.packed = Buffer.from(deflated);
    this.texts = undefined;
  }

  at(index: number): string {
    const text = (this.texts ?? this.unpacked())[index];
    if (text === undefined) throw new RangeError(`TextBlock: no text ${index}`);
    return text;
  }

  private unpacked(): string[] {
    const recent = TextBlock.recent;
    let texts = recent.get(this);
    if (texts) {
      recent.delete(this);
    } else {
      texts = JSON.parse(inflateRawSync(this.packed as Buffer).toString("utf8")) as string[];
      if (recent.size >= RECENT) recent.delete(recent.keys().next().value as TextBlock);
    }
    recent.set(this, texts);
    return texts;
  }
}
