/**
 * The SDK transport that needs no sockets: pass it as `requestHandler` to any v3 client (or to
 * `createAwsPorts`) and requests go straight to `dispatch`. A dropped-connection fault surfaces as an
 * `ECONNRESET` error, which the SDK classifies as transient and retries, as it would on a real network.
 * An aborted request ends on the client's side only, as a socket closed by the client does: the simulator goes on
 * with it, so a mutating call canceled in flight still takes effect.
 */
import type { HttpRequest, HttpResponse, RequestHandler } from "@smithy/types";
import type { WireRequest, WireResponse } from "../protocols/index.js";

export type Dispatcher = (req: WireRequest) => Promise<WireResponse & { dropped?: boolean }>;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  throw new Error("The simulator's in-process transport cannot read streaming request bodies");
}

function pathWithQuery(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {}).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : v === null ? [] : [v]).map((x) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`),
  );
  return query.length ? `${request.path}?${query.join("&")}` : request.path;
}

/** The error the SDK's socket handler raises when its request is aborted. */
function abortError(signal: AbortSignal): Error {
  const error = new Error("Request aborted", { cause: signal.reason });
  error.name = "AbortError";
  return error;
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function createRequestHandler(dispatch: Dispatcher): RequestHandler<HttpRequest, HttpResponse> {
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request: HttpRequest, options: { abortSignal?: AbortSignal } = {}) {
      const { abortSignal } = options;
      if (abortSignal?.aborted) throw abortError(abortSignal);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
      const sent = dispatch({
        method: request.method,
        path: pathWithQuery(request),
        headers,
        body: bodyText(request.body),
        ...(request.body instanceof Uint8Array ? { bytes: request.body } : {}),
      });
      const result = abortSignal ? await abortable(sent, abortSignal) : await sent;
      if (result.dropped) {
        throw Object.assign(new Error("socket hang up (connection dropped by the simulator)"), { code: "ECONNRESET" });
      }
      const response: HttpResponse = {
        statusCode: result.status,
        headers: result.headers,
        body: result.bytes ?? encoder.encode(result.body),
      };
      return { response };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  } as RequestHandler<HttpRequest, HttpResponse>;
}
