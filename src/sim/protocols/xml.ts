/**
 * XML responses for awsQuery (ELBv2: `<OpResponse><OpResult>`, `<member>` lists) and ec2Query (EC2: members
 * straight under `<OpResponse>`, lowerCamel names and `<item>` lists). Element names come from the model's
 * `xmlName` traits, exactly where the SDK's XmlShapeDeserializer looks for them.
 */
import { type NormalizedSchema, toBase64 } from "./schema.js";

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function text(ns: NormalizedSchema, value: unknown): string {
  if (ns.isTimestampSchema()) {
    const d = value instanceof Date ? value : new Date(value as string | number);
    return d.toISOString();
  }
  if (ns.isBlobSchema() && value instanceof Uint8Array) return toBase64(value);
  return escapeXml(String(value));
}

function element(name: string, inner: string): string {
  return inner === "" ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}

/** The children of an element holding `value` (no wrapping element). */
export function xmlContent(ns: NormalizedSchema, value: unknown): string {
  if (ns.isStructSchema()) {
    if (typeof value !== "object" || value === null) return "";
    const record = value as Record<string, unknown>;
    let out = "";
    for (const [name, member] of ns.structIterator()) {
      const v = record[name];
      if (v === undefined || v === null) continue;
      const traits = member.getMemberTraits();
      const key = typeof traits.xmlName === "string" ? traits.xmlName : name;
      if (member.isListSchema() && member.getMergedTraits().xmlFlattened && Array.isArray(v)) {
        const item = member.getValueSchema();
        out += v.map((x) => element(key, xmlContent(item, x))).join("");
      } else {
        out += element(key, xmlContent(member, v));
      }
    }
    return out;
  }
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) return "";
    const item = ns.getValueSchema();
    const traits = item.getMergedTraits();
    const key = typeof traits.xmlName === "string" ? traits.xmlName : "member";
    return value.map((x) => element(key, xmlContent(item, x))).join("");
  }
  if (ns.isMapSchema()) {
    if (typeof value !== "object" || value === null) return "";
    const keyNs = ns.getKeySchema();
    const valueNs = ns.getValueSchema();
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element("entry", element("key", text(keyNs, k)) + element("value", xmlContent(valueNs, v))))
      .join("");
  }
  return text(ns, value);
}

const prolog = '<?xml version="1.0" encoding="UTF-8"?>';

export function queryResponse(action: string, xmlns: string, output: string, requestId: string): string {
  return (
    `${prolog}<${action}Response xmlns="${xmlns}">${element(`${action}Result`, output)}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function ec2Response(action: string, xmlns: string, output: string, requestId: string): string {
  return `${prolog}<${action}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>${output}</${action}Response>`;
}

export function queryError(xmlns: string, code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? "Receiver" : "Sender";
  return (
    `${prolog}<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

export function ec2Error(code: string, message: string, requestId: string): string {
  return (
    `${prolog}<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    `</Error></Errors><RequestID>${requestId}</RequestID></Response>`
  );
}
