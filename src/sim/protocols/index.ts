/** One codec per wire protocol: input parsing into SDK shapes, output and error encoding. */
import type { OperationSchema, ServiceModel } from "../models.js";
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
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = "application/x-amz-json-1.1";
const XML_TYPE = "text/xml";

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

/** Reads the request payload (parsed JSON, or the form tree) into the operation's SDK input shape. */
export function decodeInput(model: ServiceModel, op: OperationSchema, payload: unknown): unknown {
  const ns = inputOf(op);
  if (model.protocol === "json") return readJson(ns, payload ?? {}) ?? {};
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
    return response(200, JSON_TYPE, jsonBody(ns, output ?? {}), requestId);
  }
  const content = ns.isStructSchema() ? xmlContent(ns, output ?? {}) : "";
  const body =
    model.protocol === "ec2"
      ? ec2Response(action, model.xmlns, content, requestId)
      : queryResponse(action, model.xmlns, content, requestId);
  return response(200, XML_TYPE, body, requestId);
}

export function encodeError(
  model: Pick<ServiceModel, "protocol" | "xmlns">,
  error: { code: string; message: string; status: number },
  requestId: string,
): WireResponse {
  const { code, message, status } = error;
  if (model.protocol === "json") {
    return response(status, JSON_TYPE, JSON.stringify({ __type: code, message }), requestId);
  }
  const body =
    model.protocol === "ec2"
      ? ec2Error(code, message, requestId)
      : queryError(model.xmlns, code, message, status, requestId);
  return response(status, XML_TYPE, body, requestId);
}
