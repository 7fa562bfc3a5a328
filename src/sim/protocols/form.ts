/**
 * awsQuery (ELBv2) and ec2Query (EC2) request bodies: `Action=...&Names.member.1=a` form fields read back into
 * the SDK's input shape. Keys follow the SDK's QueryShapeSerializer: awsQuery uses `xmlName ?? memberName` and
 * `.member.N` lists; ec2Query uses `ec2QueryName ?? Capitalized(xmlName ?? memberName)` and flat `.N` lists.
 */
import { type NormalizedSchema, requiredMembers, ShapeError, scalarFromText } from "./schema.js";

/** One dotted form key segment: its own value (if sent) and the segments below it. */
export interface FormNode {
  value?: string;
  children: Map<string, FormNode>;
}

export function formTree(params: URLSearchParams): FormNode {
  const root: FormNode = { children: new Map() };
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split(".")) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.value = value;
  }
  return root;
}

function memberKey(name: string, member: NormalizedSchema, ec2: boolean): string {
  const traits = member.getMergedTraits();
  if (ec2) {
    if (typeof traits.ec2QueryName === "string") return traits.ec2QueryName;
    const key = typeof traits.xmlName === "string" ? traits.xmlName : name;
    return key.charAt(0).toUpperCase() + key.slice(1);
  }
  return typeof traits.xmlName === "string" ? traits.xmlName : name;
}

/** The numbered children `1..N` of a node, in order; a gap ends the list as it does in AWS. */
function numbered(node: FormNode | undefined): FormNode[] {
  const items: FormNode[] = [];
  for (let i = 1; node?.children.has(String(i)); i++) items.push(node.children.get(String(i))!);
  return items;
}

export function readForm(ns: NormalizedSchema, node: FormNode | undefined, ec2: boolean, path = ""): unknown {
  if (!node) return undefined;
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const key = memberKey(name, member, ec2);
      const v = readForm(member, node.children.get(key), ec2, path ? `${path}.${key}` : key);
      if (v !== undefined) out[name] = v;
    }
    for (const name of requiredMembers(ns)) {
      if (out[name] === undefined) {
        const key = memberKey(name, ns.getMemberSchema(name), ec2);
        throw new ShapeError("missing", `The request must contain the parameter ${path ? `${path}.${key}` : key}`);
      }
    }
    return out;
  }
  if (ns.isListSchema()) {
    const item = ns.getValueSchema();
    const flat = ec2 || !!ns.getMergedTraits().xmlFlattened;
    const traits = item.getMergedTraits();
    const itemKey = typeof traits.xmlName === "string" ? traits.xmlName : "member";
    const holder = flat ? node : node.children.get(itemKey);
    if (!holder && node.value !== undefined) return [];
    return numbered(holder).map((n, i) => readForm(item, n, ec2, `${path}.${flat ? "" : `${itemKey}.`}${i + 1}`));
  }
  if (ns.isMapSchema()) {
    const keyNs = ns.getKeySchema();
    const valueNs = ns.getValueSchema();
    const flat = !!ns.getMergedTraits().xmlFlattened;
    const out: Record<string, unknown> = {};
    for (const entry of numbered(flat ? node : node.children.get("entry"))) {
      const k = readForm(keyNs, entry.children.get("key"), ec2, `${path}.key`);
      if (typeof k === "string") out[k] = readForm(valueNs, entry.children.get("value"), ec2, `${path}.value`);
    }
    return out;
  }
  if (node.value === undefined) return undefined;
  return scalarFromText(ns, node.value, path);
}
