/** One codec per wire protocol: input parsing into SDK shapes, output and error encoding. */
import type { OperationSchema, ServiceModel } from "../models.js";
import { cborBody, cborError, readCbor } from "./cbor.js";
import { type FormNode, readForm } from "./form.js";
import { jsonBody, readJson } from "./json.js";
import { inputOf, outputOf } from "./schema.js";
import { ec2Error, ec2Response, queryError, queryResponse, xmlContent } from "./xml.js";

export interface WireRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** The body as sent, for binary protocols (RPC v2 CBOR). */
  bytes?: Uint8Array;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A binary body (RPC v2 CBOR), sent instead of `body`. */
  bytes?: Uint8Array;
}

const XML_TYPE = "text/xml";
const jsonType = (model: Pick<ServiceModel, "jsonVersion">) => `application/x-amz-json-${model.jsonVersion ?? "1.1"}`;

function response(status: number, contentType: string, body: string, requestId: string): WireResponse {
  return {
    status,
    headers: {
      "content-type": contentType,
      "x-amzn-requestid": requestId,
      "content-length": String(Buffer.byteLength(body)),
    },
    body,
  };
}

function cborResponse(status: number, bytes: Uint8Array, requestId: string): WireResponse {
  const headers = {
    "content-type": "application/cbor",
    "smithy-protocol": "rpc-v2-cbor",
    "x-amzn-requestid": requestId,
    "content-length": String(bytes.byteLength),
  };
  return { status, headers, body: "", bytes };
}

/** Reads the request payload (parsed JSON, or the form tree) into the operation's SDK input shape. */
export function decodeInput(model: ServiceModel, op: OperationSchema, payload: unknown): unknown {
  const ns = inputOf(op);
  if (model.protocol === "json") return readJson(ns, payload ?? {}) ?? {};
  if (model.protocol === "cbor") return readCbor(ns, payload);
  return readForm(ns, payload as FormNode, model.protocol === "ec2") ?? {};
}

export function encodeOutput(
  model: ServiceModel,
  op: OperationSchema,
  output: unknown,
  requestId: string,
): WireResponse {
  const ns = outputOf(op);
  const action = op[2];
  if (model.protocol === "json") {
    return response(200, jsonType(model), jsonBody(ns, output ?? {}), requestId);
  }
  if (model.protocol === "cbor") return cborResponse(200, cborBody(ns, output ?? {}), requestId);
  const content = ns.isStructSchema() ? xmlContent(ns, output ?? {}) : "";
  const body =
    model.protocol === "ec2"
      ? ec2Response(action, model.xmlns, content, requestId)
      : queryResponse(action, model.xmlns, content, requestId);
  return response(200, XML_TYPE, body, requestId);
}

export function encodeError(
  model: Pick<ServiceModel, "protocol" | "xmlns" | "jsonVersion" | "queryCompatible">,
  error: { code: string; message: string; status: number },
  requestId: string,
): WireResponse {
  const { code, message, status } = error;
  if (model.protocol === "json" || model.protocol === "cbor") {
    const res =
      model.protocol === "cbor"
        ? cborResponse(status, cborError(code, message), requestId)
        : response(status, jsonType(model), JSON.stringify({ __type: code, message }), requestId);
    // awsQuery-compatible clients take the error code from here: `Code;Sender` (or `;Receiver` for 5xx).
    if (model.queryCompatible) res.headers["x-amzn-query-error"] = `${code};${status >= 500 ? "Receiver" : "Sender"}`;
    return res;
  }
  const body =
    model.protocol === "ec2"
      ? ec2Error(code, message, requestId)
      : queryError(model.xmlns, code, message, status, requestId);
  return response(status, XML_TYPE, body, requestId);
}
