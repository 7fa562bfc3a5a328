/**
 * The runner's workflow commands, written exactly as @actions/core writes them: `::name k=v::message` lines on
 * stdout and `name<<delimiter` blocks in the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_PATH files. @actions/core itself
 * is not loaded on the action's start-up path: importing it evaluates an HTTP client (undici, for OIDC tokens the
 * action never asks for), which cost about a third of the action's start-up. Only the functions the action uses.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import { EOL } from "node:os";
import { delimiter as pathDelimiter } from "node:path";

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

type Properties = Record<string, string | number | undefined>;

const text = (value: unknown): string =>
  value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

const escapeData = (value: unknown) => text(value).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

const escapeProperty = (value: unknown) => escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");

function issue(command: string, properties: Properties, message: unknown): void {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`);
  const head = Object.keys(properties).length > 0 ? ` ${pairs.join(",")}` : "";
  process.stdout.write(`::${command}${head}::${escapeData(message)}${EOL}`);
}

function appendToFile(command: string, message: string): void {
  const path = process.env[`GITHUB_${command}`];
  if (!path) throw new Error(`Unable to find environment variable for file command ${command}`);
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  appendFileSync(path, `${message}${EOL}`, { encoding: "utf8" });
}

function keyValue(key: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`;
  const converted = text(value);
  if (key.includes(delimiter))
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (converted.includes(delimiter))
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${key}<<${delimiter}${EOL}${converted}${EOL}${delimiter}`;
}

function annotation(properties: AnnotationProperties): Properties {
  if (Object.keys(properties).length === 0) return {};
  return {
    title: properties.title,
    file: properties.file,
    line: properties.startLine,
    endLine: properties.endLine,
    col: properties.startColumn,
    endColumn: properties.endColumn,
  };
}

export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "").trim();
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] || "";
}

export function setOutput(name: string, value: unknown): void {
  if (process.env.GITHUB_OUTPUT) appendToFile("OUTPUT", keyValue(name, value));
  else {
    process.stdout.write(EOL);
    issue("set-output", { name }, text(value));
  }
}

export function saveState(name: string, value: unknown): void {
  if (process.env.GITHUB_STATE) appendToFile("STATE", keyValue(name, value));
  else issue("save-state", { name }, text(value));
}

export function addPath(path: string): void {
  if (process.env.GITHUB_PATH) appendToFile("PATH", path);
  else issue("add-path", {}, path);
  process.env.PATH = `${path}${pathDelimiter}${process.env.PATH}`;
}

export function setSecret(secret: string): void {
  issue("add-mask", {}, secret);
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  issue("error", annotation(properties), message instanceof Error ? message.toString() : message);
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  issue("warning", annotation(properties), message instanceof Error ? message.toString() : message);
}

export function notice(message: string | Error, properties: AnnotationProperties = {}): void {
  issue("notice", annotation(properties), message instanceof Error ? message.toString() : message);
}

export function setFailed(message: string | Error): void {
  process.exitCode = 1;
  error(message);
}

export function startGroup(name: string): void {
  issue("group", {}, name);
}

export function endGroup(): void {
  issue("endgroup", {}, "");
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name);
  try {
    return await fn();
  } finally {
    endGroup();
  }
}
