/**
 * The descriptions of one findings page, kept deflated once the page is read. An audit of 800 images × 2,000
 * findings whose descriptions differ holds ~200 MB of text that only the detail, JSON and SARIF outputs read,
 * mostly in page order; deflated, the same text takes a tenth of that.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";

/** Blocks unpacked most recently: readers go through a page's findings one after the other. */
const RECENT = 8;
const recent = new Map<TextBlock, string[]>();

export class TextBlock {
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
    this.packed = deflateRawSync(JSON.stringify(this.texts), { level: 1 });
    this.texts = undefined;
  }

  at(index: number): string {
    const texts = this.texts ?? unpacked(this);
    const text = texts[index];
    if (text === undefined) throw new RangeError(`TextBlock: no text ${index}`);
    return text;
  }

  /** Called by `unpacked` only. */
  inflate(): string[] {
    return JSON.parse(inflateRawSync(this.packed as Buffer).toString("utf8")) as string[];
  }
}

function unpacked(block: TextBlock): string[] {
  let texts = recent.get(block);
  if (texts) {
    recent.delete(block);
  } else {
    texts = block.inflate();
    if (recent.size >= RECENT) recent.delete(recent.keys().next().value as TextBlock);
  }
  recent.set(block, texts);
  return texts;
}
