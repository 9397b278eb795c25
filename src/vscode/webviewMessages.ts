// Runtime checks of messages from Freehold's webviews. A webview renders model output, so what it posts is
// treated as untrusted input: a message is accepted only when its type is known and every field has the
// declared type (no missing, extra or inherited fields); anything else is dropped and the caller logs it.
// No `vscode` import: tested in plain Node.
import type { Envelope, ToHost } from "../webview/messages";

type FieldType = "string" | "boolean" | "role";
type Schema = Readonly<Record<string, FieldType>>;

/** Field types of each chat message's payload (src/webview/messages.ts ToHost). */
const CHAT_SCHEMAS: { readonly [K in keyof ToHost]: Schema } = {
  ready: {},
  send: { text: "string" },
  stop: {},
  regenerate: {},
  retry: {},
  newConversation: {},
  switchConversation: { id: "string" },
  deleteConversation: { id: "string" },
  removeAttachment: { id: "string" },
  pickFile: {},
  copy: { text: "string" },
  insert: { code: "string" },
  apply: { code: "string" },
  openLink: { href: "string" },
};

export type SetupMessage =
  | { type: "use"; role: "completion" | "chat"; path: string }
  | { type: "download"; role: "completion" | "chat"; id: string }
  | { type: "browse"; role: "completion" | "chat" }
  | { type: "same"; value: boolean }
  | { type: "choice"; choice: string }
  | { type: "refresh" };

/** Fields of each setup view message, besides `type`. */
const SETUP_SCHEMAS: Readonly<Record<SetupMessage["type"], Schema>> = {
  use: { role: "role", path: "string" },
  download: { role: "role", id: "string" },
  browse: { role: "role" },
  same: { value: "boolean" },
  choice: { choice: "string" },
  refresh: {},
};

/** Longest string field accepted (a pasted file in the composer is well below). */
const MAX_STRING = 4 * 1024 * 1024;

export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkFields(value: unknown, schema: Schema, ignore: readonly string[] = []): string | undefined {
  if (!isPlainObject(value)) return "not an object";
  for (const key of Object.keys(value)) if (!ignore.includes(key) && !Object.hasOwn(schema, key)) return `unexpected field ${JSON.stringify(key.slice(0, 40))}`;
  for (const [key, type] of Object.entries(schema)) {
    if (!Object.hasOwn(value, key)) return `missing field ${key}`;
    const field = value[key];
    if (type === "boolean" ? typeof field !== "boolean" : typeof field !== "string") return `field ${key} is not a ${type === "boolean" ? "boolean" : "string"}`;
    if (type === "string" && (field as string).length > MAX_STRING) return `field ${key} is too long`;
    if (type === "role" && field !== "completion" && field !== "chat") return `field ${key} is not completion or chat`;
  }
  return undefined;
}

function typeOf(raw: unknown, known: object): string | { error: string } {
  if (!isPlainObject(raw)) return { error: "not an object" };
  const type = raw.type;
  if (typeof type !== "string") return { error: "no type" };
  if (!Object.hasOwn(known, type)) return { error: `unknown type ${JSON.stringify(type.slice(0, 40))}` };
  return type;
}

/** A chat webview message `{ type, payload }`, checked against its type. */
export function checkChatMessage(raw: unknown): Checked<Envelope<ToHost>> {
  const type = typeOf(raw, CHAT_SCHEMAS);
  if (typeof type !== "string") return { ok: false, error: type.error };
  const envelope = raw as Record<string, unknown>;
  const extra = Object.keys(envelope).find((k) => k !== "type" && k !== "payload");
  if (extra) return { ok: false, error: `${type}: unexpected field ${JSON.stringify(extra.slice(0, 40))}` };
  const problem = checkFields(envelope.payload, CHAT_SCHEMAS[type as keyof ToHost]);
  return problem ? { ok: false, error: `${type}: ${problem}` } : { ok: true, message: envelope as Envelope<ToHost> };
}

/** A setup view message `{ type, …fields }`, checked against its type. */
export function checkSetupMessage(raw: unknown): Checked<SetupMessage> {
  const type = typeOf(raw, SETUP_SCHEMAS);
  if (typeof type !== "string") return { ok: false, error: type.error };
  const problem = checkFields(raw, SETUP_SCHEMAS[type as SetupMessage["type"]], ["type"]);
  return problem ? { ok: false, error: `${type}: ${problem}` } : { ok: true, message: raw as SetupMessage };
}
