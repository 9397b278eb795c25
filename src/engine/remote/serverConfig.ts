// A team's inference server as a role's engine: `{ url, kind, model }` (settings `freehold.completions.server`,
// `freehold.chat.server`; the CLI's `--server URL --server-kind K --server-model M`). Checked here once so every
// caller gets the same clear message for a bad URL or kind.
import { isIP } from "node:net";

export type ServerKind = "llama-server" | "ollama" | "openai";
export const SERVER_KINDS: readonly ServerKind[] = ["llama-server", "ollama", "openai"];

export interface RemoteServerConfig {
  url: string;
  kind: ServerKind;
  /** The model to ask for (Ollama and OpenAI-compatible servers serve several; llama-server ignores it). */
  model?: string;
}

export interface ServerTimeouts {
  /** TCP (and TLS) connection to the server. */
  connectTimeoutMs: number;
  /** No byte from the server for this long, once the request is sent. */
  stallTimeoutMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { connectTimeoutMs: 5_000, stallTimeoutMs: 30_000 };

/** The config, or a one-line reason it is unusable. */
export function parseServerConfig(value: unknown): { config: RemoteServerConfig } | { problem: string } | undefined {
  if (value === undefined || value === null || value === "" || value === "local") return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return { problem: 'A server setting must be "local" or an object { "url": "http://host:port", "kind": "llama-server" | "ollama" | "openai", "model": "…" }.' };
  const raw = value as { url?: unknown; kind?: unknown; model?: unknown };
  if (typeof raw.url !== "string" || !raw.url.trim()) return { problem: 'The server setting has no "url" (for example "http://gpu-box:8080").' };
  let url: URL;
  try {
    url = new URL(raw.url.trim());
  } catch {
    return { problem: `The server URL ${JSON.stringify(raw.url)} is not a URL (for example "http://gpu-box:8080").` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { problem: `The server URL ${url.href} must start with http:// or https://.` };
  if (url.username || url.password) return { problem: "Do not put a user name or password in the server URL: use “Freehold: Set Server API Key” (kept in VS Code's secret storage)." };
  const kind = raw.kind === undefined ? "llama-server" : raw.kind;
  if (typeof kind !== "string" || !SERVER_KINDS.includes(kind as ServerKind)) return { problem: `The server kind ${JSON.stringify(kind)} is not one of ${SERVER_KINDS.join(", ")}.` };
  if (raw.model !== undefined && typeof raw.model !== "string") return { problem: 'The server setting\'s "model" must be a string.' };
  const model = typeof raw.model === "string" && raw.model.trim() ? raw.model.trim() : undefined;
  if ((kind === "ollama" || kind === "openai") && !model) return { problem: `An ${kind} server serves several models: name one in the server setting's "model".` };
  return { config: { url: url.href, kind: kind as ServerKind, ...(model ? { model } : {}) } };
}

export function sameServer(a: RemoteServerConfig | undefined, b: RemoteServerConfig | undefined): boolean {
  if (!a || !b) return a === b;
  return a.url === b.url && a.kind === b.kind && (a.model ?? "") === (b.model ?? "");
}

/** True for addresses that never leave this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(host);
  return false;
}

/** "host:port" as the status bar shows it. */
export function serverHost(config: RemoteServerConfig): string {
  return new URL(config.url).host;
}
