/**
 * Reads a user's file only when it is a regular file, and never more than a limit: a FIFO would block the read
 * forever and `/dev/zero` would fill the memory, so the kind is checked on the open descriptor and the limit counted
 * while reading.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

export type ReadOutcome =
  | { ok: true; bytes: Buffer }
  | { ok: false; why: "missing" | "folder" | "not-regular" }
  | { ok: false; why: "too-large"; size: number }
  | { ok: false; why: "unreadable"; code: string };

const CHUNK = 64 * 1024;

export function readRegularFile(path: string, maxBytes: number): ReadOutcome {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (it has no effect on regular files).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (code === "ENOENT" || code === "ENOTDIR") return { ok: false, why: "missing" };
    if (code === "EISDIR") return { ok: false, why: "folder" };
    return { ok: false, why: "unreadable", code };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, why: "folder" };
    if (!stat.isFile()) return { ok: false, why: "not-regular" };
    if (stat.size > maxBytes) return { ok: false, why: "too-large", size: stat.size };
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      // The file may grow while it is read.
      if (total > maxBytes) return { ok: false, why: "too-large", size: total };
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, why: "unreadable", code: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    closeSync(fd);
  }
}
