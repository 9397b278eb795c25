// Downloads a model file only when asked: checks the disk has room before writing, writes to `<name>.part`,
// resumes an interrupted transfer with an HTTP Range request, and renames the file into place only after
// its size, its GGUF header (and its SHA-256, when given) check out. A half-downloaded or corrupt file is
// never at the final path.
// Hardening: an https download never follows a redirect to plain http; a resume carries `If-Range` with the
// first response's ETag (or Last-Modified), kept beside the .part file, so a file that changed upstream is
// fetched again from the start instead of spliced; a connection that sends nothing for `stallTimeoutMs`
// fails with a clear message; a proxy (VS Code's `http.proxy`, or HTTPS_PROXY) is used when given; and a
// download that fails before its first byte creates nothing, not even the folder.
// Why not node-llama-cpp's createModelDownloader: it downloads through ipull 3.9.5, which sends no If-Range,
// has no proxy support and no stall timeout, and follows redirects without a scheme check.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, statfs, writeFile } from "node:fs/promises";
import * as http from "node:http";
import * as https from "node:https";
import { dirname } from "node:path";
import { inspectGgufFile } from "./ggufFile";
import { proxyAgent, type ProxySettings } from "./proxy";

export interface DownloadProgress {
  receivedBytes: number;
  /** Undefined when the server does not say. */
  totalBytes?: number;
  /** Over the last few seconds. */
  bytesPerSecond: number;
  /** Undefined until a speed is known. */
  etaSeconds?: number;
}

export type DownloadErrorCode = "no-space" | "http" | "interrupted" | "size-mismatch" | "not-gguf" | "checksum" | "cancelled" | "exists" | "stalled" | "insecure-redirect";

export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

export interface DownloadOptions {
  /** An http(s) URL (map `hf:` URIs with `resolveModelUrl` first). */
  url: string;
  /** The final path of the model file. */
  destination: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Hex SHA-256 the file must have. */
  sha256?: string;
  /** Free bytes on the file system holding `folder`; default `fs.statfs`. */
  freeSpace?: (folder: string) => Promise<number>;
  /** Automatic resumes after the connection drops mid-body (default 3). */
  retries?: number;
  /** Minimum time between progress reports (default 250 ms); the last report is always sent. */
  progressIntervalMs?: number;
  /** A connection that sends nothing for this long (waiting for headers or mid-body) is dropped; default 60 s. */
  stallTimeoutMs?: number;
  /** The proxy for a request to this URL (redirects may change the host), or undefined to connect directly. */
  proxy?: (target: URL) => ProxySettings | undefined;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** Bytes that were already in the .part file from an earlier attempt. */
  resumedFromBytes: number;
  /** The destination already held a whole GGUF file; nothing was fetched. */
  alreadyPresent?: boolean;
}

const MAX_REDIRECTS = 10;
const DEFAULT_STALL_TIMEOUT_MS = 60_000;

export function partPathOf(destination: string): string {
  return `${destination}.part`;
}

/** The validators (ETag, Last-Modified) of the response a .part file was started from. */
export function validatorsPathOf(destination: string): string {
  return `${destination}.part.json`;
}

interface Validators {
  url: string;
  etag?: string;
  lastModified?: string;
}

export async function statfsFreeBytes(folder: string): Promise<number> {
  const s = await statfs(folder);
  return Number(s.bavail) * Number(s.bsize);
}

export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const { destination, signal } = options;
  const part = partPathOf(destination);
  const sidecar = validatorsPathOf(destination);
  const folder = dirname(destination);
  const request: RequestOptions = { host: hostOf(options.url), signal, stallTimeoutMs: options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS, proxy: options.proxy };
  if (await exists(destination)) {
    // Downloaded before: a whole GGUF file is the answer; anything else is the user's and stays untouched.
    const present = await inspectGgufFile(destination).catch(() => undefined);
    if (present && !options.sha256) return { path: destination, bytes: present.sizeBytes, resumedFromBytes: 0, alreadyPresent: true };
    throw new DownloadError("exists", `${destination} already exists.`);
  }

  let validators = await readValidators(sidecar);
  if ((await sizeOf(part)) > 0 && !validators) {
    // A partial file from nowhere we know: its bytes cannot be checked against the resource, start over.
    await rm(part, { force: true });
  }
  const initialBytes = await sizeOf(part);
  const meter = new SpeedMeter();
  const report = reporter(options, meter);
  let retriesLeft = options.retries ?? 3;
  let checkedSpace = false;
  let total: number | undefined;

  for (;;) {
    throwIfCancelled(signal);
    const have = await sizeOf(part);
    if (total !== undefined && have === total) break;
    const response = await get(options.url, have > 0 ? resumeHeaders(have, validators) : {}, request);
    let offset: number;
    if (response.statusCode === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(response.headers["content-range"] ?? ""));
      if (!range || Number(range[1]) !== have) {
        response.destroy();
        throw new DownloadError("http", `The server answered the resume request with the wrong range (${response.headers["content-range"] ?? "none"}).`);
      }
      if (changedUpstream(validators, response)) {
        // A server that ignores If-Range still names the version it sends: a different one is not appended.
        response.destroy();
        await discardPart(part, sidecar);
        validators = undefined;
        total = undefined;
        continue;
      }
      offset = have;
      const length = contentLength(response);
      const claimed = range[3] === "*" ? (length !== undefined ? have + length : undefined) : Number(range[3]);
      total = consistentTotal(total, claimed);
    } else if (response.statusCode === 200) {
      // The first request, a server that ignores ranges, or (through If-Range) a file that changed: start over.
      offset = 0;
      total = consistentTotal(have > 0 ? undefined : total, contentLength(response));
      validators = validatorsOf(options.url, response);
    } else if (response.statusCode === 416 && have > 0) {
      response.resume();
      const whole = /^bytes \*\/(\d+)$/.exec(String(response.headers["content-range"] ?? ""));
      if (whole && Number(whole[1]) === have) {
        total = consistentTotal(total, have);
        break;
      }
      // The partial file does not belong to this resource: start again.
      await discardPart(part, sidecar);
      validators = undefined;
      continue;
    } else {
      response.resume();
      throw new DownloadError("http", `The server answered HTTP ${response.statusCode} for ${redact(options.url)}.`);
    }

    if (!checkedSpace && total !== undefined) {
      const free = await (options.freeSpace ?? statfsFreeBytes)(await nearestExisting(folder));
      const needed = total - offset;
      if (free < needed) {
        response.destroy();
        throw new DownloadError("no-space", `Not enough disk space in ${folder}: the download needs ${mb(needed)} and ${mb(free)} is free.`);
      }
      checkedSpace = true;
    }

    // Only now, with a good answer in hand, does anything appear on disk.
    await mkdir(folder, { recursive: true });
    if (offset === 0) await writeFile(sidecar, `${JSON.stringify(validators)}\n`);
    try {
      await receive(response, part, offset, request, (received) => {
        meter.add(received);
        report(received, total, false);
      });
    } catch (error) {
      if (signal?.aborted) throw new DownloadError("cancelled", "The download was cancelled; it resumes where it stopped next time.");
      if (retriesLeft-- > 0) continue;
      const at = `${mb(await sizeOf(part))}${total ? ` of ${mb(total)}` : ""}`;
      if (error instanceof StallError) throw new DownloadError("stalled", `The download stalled at ${at}: ${error.message}; run it again to resume.`);
      throw new DownloadError("interrupted", `The download stopped at ${at} (${messageOf(error)}); run it again to resume.`);
    }
    const now = await sizeOf(part);
    if (total === undefined || now === total) {
      total = now;
      break;
    }
    if (now > total) {
      await discardPart(part, sidecar);
      throw new DownloadError("size-mismatch", `The server sent ${now} bytes but said the file has ${total}; the download was discarded.`);
    }
    // The body ended early without an error: treat it like a dropped connection.
    if (retriesLeft-- <= 0) {
      throw new DownloadError("size-mismatch", `The server said the file has ${total} bytes but sent only ${now}; the partial download is kept for a retry.`);
    }
  }

  const bytes = total ?? (await sizeOf(part));
  report(bytes, bytes, true);
  try {
    await verify(part, bytes, options.sha256);
  } catch (error) {
    await rm(sidecar, { force: true });
    throw error;
  }
  await rename(part, destination);
  await rm(sidecar, { force: true });
  return { path: destination, bytes, resumedFromBytes: initialBytes };
}

/** Size and GGUF header; the checksum when one is given. A file that fails is deleted: resuming it cannot help. */
async function verify(part: string, expectedBytes: number, sha256: string | undefined): Promise<void> {
  const size = await sizeOf(part);
  if (size !== expectedBytes) {
    await rm(part, { force: true });
    throw new DownloadError("size-mismatch", `The downloaded file has ${size} bytes instead of ${expectedBytes}; it was discarded.`);
  }
  try {
    await inspectGgufFile(part);
  } catch (error) {
    await rm(part, { force: true });
    throw new DownloadError("not-gguf", `The downloaded file is not a usable GGUF model: ${messageOf(error)} It was discarded.`);
  }
  if (sha256) {
    const actual = await hashFile(part);
    if (actual.toLowerCase() !== sha256.toLowerCase()) {
      await rm(part, { force: true });
      throw new DownloadError("checksum", `The downloaded file's SHA-256 is ${actual}, expected ${sha256}; it was discarded.`);
    }
  }
}

function consistentTotal(known: number | undefined, claimed: number | undefined): number | undefined {
  if (known !== undefined && claimed !== undefined && known !== claimed) {
    throw new DownloadError("size-mismatch", `The server first said the file has ${known} bytes, now ${claimed}.`);
  }
  return claimed ?? known;
}

function receive(response: http.IncomingMessage, part: string, offset: number, request: RequestOptions, onBytes: (received: number) => void): Promise<void> {
  const { signal, stallTimeoutMs } = request;
  return new Promise((resolve, reject) => {
    const out = createWriteStream(part, offset > 0 ? { flags: "a" } : { flags: "w" });
    let received = offset;
    let failed = false;
    let stallTimer: NodeJS.Timeout | undefined;
    const host = request.host ?? "the server";
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => fail(new StallError(`no data from ${host} for ${seconds(stallTimeoutMs)}`)), stallTimeoutMs);
    };
    armStallTimer();
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      clearTimeout(stallTimer);
      signal?.removeEventListener("abort", onAbort);
      response.destroy();
      out.end(() => reject(error));
    };
    const onAbort = () => fail(new Error("cancelled"));
    signal?.addEventListener("abort", onAbort, { once: true });
    response.on("data", (chunk: Buffer) => {
      armStallTimer();
      received += chunk.length;
      if (!out.write(chunk)) {
        response.pause();
        out.once("drain", () => response.resume());
      }
      onBytes(received);
    });
    response.on("aborted", () => fail(new Error("the connection was closed mid-transfer")));
    response.on("error", (error) => fail(error));
    out.on("error", (error) => fail(error));
    response.on("end", () => {
      if (failed) return;
      clearTimeout(stallTimer);
      signal?.removeEventListener("abort", onAbort);
      // Node marks a body cut short of its Content-Length as incomplete rather than erroring in every version.
      if (!response.complete) {
        fail(new Error("the connection was closed mid-transfer"));
        return;
      }
      out.end(() => resolve());
    });
  });
}

interface RequestOptions {
  /** host[:port] of the download, for messages. */
  host?: string;
  signal?: AbortSignal;
  stallTimeoutMs: number;
  proxy?: (target: URL) => ProxySettings | undefined;
}

class StallError extends Error {}

function get(url: string, headers: Record<string, string>, options: RequestOptions, redirects = 0): Promise<http.IncomingMessage> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new DownloadError("http", `Not a URL: ${url}`));
      return;
    }
    const client = parsed.protocol === "https:" ? https : parsed.protocol === "http:" ? http : undefined;
    if (!client) {
      reject(new DownloadError("http", `Only http and https downloads are supported, not ${parsed.protocol}`));
      return;
    }
    const proxy = options.proxy?.(parsed);
    const agent = proxyAgent(parsed, proxy);
    let stalled = false;
    const request = client.get(
      parsed,
      { headers: { "User-Agent": "freehold", "Accept-Encoding": "identity", ...headers }, signal, ...(agent ? { agent } : {}), ...(proxy?.strictSSL === false ? { rejectUnauthorized: false } : {}) },
      (response) => {
        request.setTimeout(0);
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          if (redirects >= MAX_REDIRECTS) {
            reject(new DownloadError("http", "Too many redirects."));
            return;
          }
          let next: URL;
          try {
            next = new URL(response.headers.location, parsed);
          } catch {
            reject(new DownloadError("http", `The server redirected to an invalid address (${response.headers.location}).`));
            return;
          }
          if (parsed.protocol === "https:" && next.protocol !== "https:") {
            reject(new DownloadError("insecure-redirect", `Refused: ${parsed.host} redirected the https download to an unencrypted ${next.protocol.replace(":", "")} address (${redact(next.toString())}).`));
            return;
          }
          resolve(get(next.toString(), headers, options, redirects + 1));
          return;
        }
        resolve(response);
      },
    );
    // Until the response headers arrive; the body has its own timer (receive).
    request.setTimeout(options.stallTimeoutMs, () => {
      stalled = true;
      request.destroy();
    });
    request.on("error", (error) => {
      if (stalled) reject(new DownloadError("stalled", `The download stalled: ${parsed.host} sent no answer for ${seconds(options.stallTimeoutMs)}. Check the network (and the proxy settings) and try again.`));
      else if (signal?.aborted) reject(new DownloadError("cancelled", "The download was cancelled; it resumes where it stopped next time."));
      else reject(new DownloadError("interrupted", `Could not reach ${parsed.host}: ${error.message}`));
    });
  });
}

function contentLength(response: http.IncomingMessage): number | undefined {
  const value = response.headers["content-length"];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

class SpeedMeter {
  private readonly samples: Array<{ at: number; bytes: number }> = [];

  add(bytes: number): void {
    const at = performance.now();
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0].at > 5000) this.samples.shift();
  }

  get bytesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.bytes - first.bytes) / seconds) : 0;
  }
}

function reporter(options: DownloadOptions, meter: SpeedMeter): (received: number, total: number | undefined, final: boolean) => void {
  let lastAt = -Infinity;
  return (received, total, final) => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!final && now - lastAt < (options.progressIntervalMs ?? 250)) return;
    lastAt = now;
    const speed = meter.bytesPerSecond;
    const eta = total !== undefined && speed > 0 ? Math.max(0, (total - received) / speed) : undefined;
    options.onProgress({ receivedBytes: received, totalBytes: total, bytesPerSecond: Math.round(speed), etaSeconds: final ? 0 : eta });
  };
}

function resumeHeaders(have: number, validators: Validators | undefined): Record<string, string> {
  const headers: Record<string, string> = { Range: `bytes=${have}-` };
  // If-Range takes a strong ETag or a date; with a weak ETag the date is the only usable validator.
  if (validators?.etag && !validators.etag.startsWith("W/")) headers["If-Range"] = validators.etag;
  else if (validators?.lastModified) headers["If-Range"] = validators.lastModified;
  return headers;
}

function validatorsOf(url: string, response: http.IncomingMessage): Validators {
  const etag = response.headers.etag;
  const lastModified = response.headers["last-modified"];
  return { url, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** Whether a 206 answer names another version of the file than the one the .part file holds. */
function changedUpstream(validators: Validators | undefined, response: http.IncomingMessage): boolean {
  const etag = response.headers.etag;
  const lastModified = response.headers["last-modified"];
  if (validators?.etag && etag) return etag.replace(/^W\//, "") !== validators.etag.replace(/^W\//, "");
  if (validators?.lastModified && lastModified) return lastModified !== validators.lastModified;
  return false;
}

async function readValidators(path: string): Promise<Validators | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Validators;
    return parsed && typeof parsed === "object" && typeof parsed.url === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function discardPart(part: string, sidecar: string): Promise<void> {
  await rm(part, { force: true });
  await rm(sidecar, { force: true });
}

/** `folder`, or its nearest ancestor that exists (for the free-space check before the folder is made). */
async function nearestExisting(folder: string): Promise<string> {
  let dir = folder;
  while (!(await exists(dir)) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DownloadError("cancelled", "The download was cancelled; it resumes where it stopped next time.");
}

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.search = "";
  return parsed.toString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
