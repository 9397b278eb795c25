// Downloads a model file only when asked: checks the disk has room before writing, writes to `<name>.part`,
// resumes an interrupted transfer with an HTTP Range request, and renames the file into place only after
// its size, its GGUF header (and its SHA-256, when given) check out. A half-downloaded or corrupt file is
// never at the final path.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, statfs } from "node:fs/promises";
import * as http from "node:http";
import * as https from "node:https";
import { dirname } from "node:path";
import { inspectGgufFile } from "./ggufFile";

export interface DownloadProgress {
  receivedBytes: number;
  /** Undefined when the server does not say. */
  totalBytes?: number;
  /** Over the last few seconds. */
  bytesPerSecond: number;
  /** Undefined until a speed is known. */
  etaSeconds?: number;
}

export type DownloadErrorCode = "no-space" | "http" | "interrupted" | "size-mismatch" | "not-gguf" | "checksum" | "cancelled" | "exists";

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

export function partPathOf(destination: string): string {
  return `${destination}.part`;
}

export async function statfsFreeBytes(folder: string): Promise<number> {
  const s = await statfs(folder);
  return Number(s.bavail) * Number(s.bsize);
}

export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const { destination, signal } = options;
  const part = partPathOf(destination);
  const folder = dirname(destination);
  await mkdir(folder, { recursive: true });
  if (await exists(destination)) {
    // Downloaded before: a whole GGUF file is the answer; anything else is the user's and stays untouched.
    const present = await inspectGgufFile(destination).catch(() => undefined);
    if (present && !options.sha256) return { path: destination, bytes: present.sizeBytes, resumedFromBytes: 0, alreadyPresent: true };
    throw new DownloadError("exists", `${destination} already exists.`);
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
    const response = await get(options.url, have > 0 ? { Range: `bytes=${have}-` } : {}, signal);
    let offset: number;
    if (response.statusCode === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(response.headers["content-range"] ?? ""));
      if (!range || Number(range[1]) !== have) {
        response.destroy();
        throw new DownloadError("http", `The server answered the resume request with the wrong range (${response.headers["content-range"] ?? "none"}).`);
      }
      offset = have;
      const length = contentLength(response);
      const claimed = range[3] === "*" ? (length !== undefined ? have + length : undefined) : Number(range[3]);
      total = consistentTotal(total, claimed);
    } else if (response.statusCode === 200) {
      // The server ignored the range (or this is the first request): start over.
      offset = 0;
      total = consistentTotal(have > 0 ? undefined : total, contentLength(response));
    } else if (response.statusCode === 416 && have > 0) {
      response.resume();
      const whole = /^bytes \*\/(\d+)$/.exec(String(response.headers["content-range"] ?? ""));
      if (whole && Number(whole[1]) === have) {
        total = consistentTotal(total, have);
        break;
      }
      // The partial file does not belong to this resource: start again.
      await rm(part, { force: true });
      continue;
    } else {
      response.resume();
      throw new DownloadError("http", `The server answered HTTP ${response.statusCode} for ${redact(options.url)}.`);
    }

    if (!checkedSpace && total !== undefined) {
      const free = await (options.freeSpace ?? statfsFreeBytes)(folder);
      const needed = total - offset;
      if (free < needed) {
        response.destroy();
        throw new DownloadError("no-space", `Not enough disk space in ${folder}: the download needs ${mb(needed)} and ${mb(free)} is free.`);
      }
      checkedSpace = true;
    }

    try {
      await receive(response, part, offset, signal, (received) => {
        meter.add(received);
        report(received, total, false);
      });
    } catch (error) {
      if (signal?.aborted) throw new DownloadError("cancelled", "The download was cancelled; it resumes where it stopped next time.");
      if (retriesLeft-- > 0) continue;
      throw new DownloadError("interrupted", `The download stopped at ${mb(await sizeOf(part))}${total ? ` of ${mb(total)}` : ""} (${messageOf(error)}); run it again to resume.`);
    }
    const now = await sizeOf(part);
    if (total === undefined || now === total) {
      total = now;
      break;
    }
    if (now > total) {
      await rm(part, { force: true });
      throw new DownloadError("size-mismatch", `The server sent ${now} bytes but said the file has ${total}; the download was discarded.`);
    }
    // The body ended early without an error: treat it like a dropped connection.
    if (retriesLeft-- <= 0) {
      throw new DownloadError("size-mismatch", `The server said the file has ${total} bytes but sent only ${now}; the partial download is kept for a retry.`);
    }
  }

  const bytes = total ?? (await sizeOf(part));
  report(bytes, bytes, true);
  await verify(part, bytes, options.sha256);
  await rename(part, destination);
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

function receive(response: http.IncomingMessage, part: string, offset: number, signal: AbortSignal | undefined, onBytes: (received: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(part, offset > 0 ? { flags: "a" } : { flags: "w" });
    let received = offset;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      signal?.removeEventListener("abort", onAbort);
      response.destroy();
      out.end(() => reject(error));
    };
    const onAbort = () => fail(new Error("cancelled"));
    signal?.addEventListener("abort", onAbort, { once: true });
    response.on("data", (chunk: Buffer) => {
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

function get(url: string, headers: Record<string, string>, signal: AbortSignal | undefined, redirects = 0): Promise<http.IncomingMessage> {
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
    const request = client.get(parsed, { headers: { "User-Agent": "freehold", "Accept-Encoding": "identity", ...headers }, signal }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(new DownloadError("http", "Too many redirects."));
          return;
        }
        resolve(get(new URL(response.headers.location, parsed).toString(), headers, signal, redirects + 1));
        return;
      }
      resolve(response);
    });
    request.on("error", (error) => {
      if (signal?.aborted) reject(new DownloadError("cancelled", "The download was cancelled; it resumes where it stopped next time."));
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
