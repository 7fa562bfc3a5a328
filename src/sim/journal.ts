/** Every API call the simulator answered, in order: what tests assert on ("no mutating call was made"). */
import type { ServiceId } from "./types.js";

export interface CallRecord {
  seq: number;
  /** Simulated time of the call, ms since the epoch. */
  time: number;
  service: ServiceId | "unknown";
  operation: string;
  /** The request as the SDK models it (undefined when it could not be parsed). */
  params: unknown;
  status: number;
  /** The SDK's attempt number for this logical call (from `amz-sdk-request`), 1 when not sent. */
  attempt: number;
  errorCode?: string;
  /** The injected fault, if one decided the outcome or added latency. */
  fault?: string;
  requestId: string;
}

const readOnly = /^(Describe|List|Get|BatchGet)/;

/** True for operations that only read (Describe*, List*, Get*, BatchGet*). */
export const isReadOnly = (operation: string): boolean => readOnly.test(operation);

export class Journal {
  private records: CallRecord[] = [];

  record(call: Omit<CallRecord, "seq">): CallRecord {
    const entry = { seq: this.records.length + 1, ...call };
    this.records.push(entry);
    return entry;
  }

  /** Calls so far, optionally only those of one service or operation. */
  calls(filter: { service?: ServiceId; operation?: string } = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (!filter.service || r.service === filter.service) && (!filter.operation || r.operation === filter.operation),
    );
  }

  /** Calls that could have changed the world (anything but Describe/List/Get), answered or not. */
  mutations(): CallRecord[] {
    return this.records.filter((r) => r.service !== "unknown" && !isReadOnly(r.operation));
  }

  clear(): void {
    this.records = [];
  }

  /** JSON form for `GET /_sim/calls`: times as ISO strings. */
  toJSON(): unknown[] {
    return this.records.map((r) => ({ ...r, time: new Date(r.time).toISOString() }));
  }
}
