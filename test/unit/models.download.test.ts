// Model download against a real HTTP server on 127.0.0.1 serving a generated GGUF model: a whole transfer,
// one cut mid-body that resumes with a Range request, servers that lie about the length, a disk-space
// refusal, cancellation, and the `freehold models pull` command with its progress output.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tinyModelPath } from "../helpers/models";
import { closeServers, exists, listenOnLoopback, plentyOfSpace } from "../helpers/downloadServers";
import { downloadModel, DownloadError, partPathOf, type DownloadProgress } from "../../src/models/download";
import { resolveModelUrl } from "../../src/models/catalog";

type Handler = (req: IncomingMessage, res: ServerResponse, model: Buffer) => void;

let model: Buffer;
let dir: string;
let server: Server;
let base: string;
let handler: Handler;
const requests: Array<{ url: string; range?: string }> = [];

/** Serves `model` honestly, with Range support. */
const honest: Handler = (req, res, body) => {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
  if (range) {
    const start = Number(range[1]);
    if (start >= body.length) {
      res.writeHead(416, { "Content-Range": `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(206, { "Content-Length": body.length - start, "Content-Range": `bytes ${start}-${body.length - 1}/${body.length}` });
    res.end(body.subarray(start));
    return;
  }
  res.writeHead(200, { "Content-Length": body.length, "Content-Type": "application/octet-stream" });
  res.end(body);
};

before(async () => {
  model = await readFile(await tinyModelPath());
  dir = await mkdtemp(join(tmpdir(), "freehold-download-"));
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", range: req.headers.range });
    if (req.url?.startsWith("/redirect/")) {
      res.writeHead(302, { Location: req.url.slice("/redirect".length) }).end();
      return;
    }
    handler(req, res, model);
  });
  base = await listenOnLoopback(server);
});

after(async () => {
  await closeServers(server);
  await rm(dir, { recursive: true, force: true });
});


test("a whole download lands at the destination, byte for byte, with progress up to the total", async () => {
  handler = honest;
  requests.length = 0;
  const destination = join(dir, "whole", "model.gguf");
  const progress: DownloadProgress[] = [];
  const sha256 = createHash("sha256").update(model).digest("hex");
  const result = await downloadModel({ url: `${base}/redirect/models/tiny.gguf`, destination, onProgress: (p) => progress.push(p), freeSpace: plentyOfSpace, sha256 });
  assert.equal(result.bytes, model.length);
  assert.deepEqual(await readFile(destination), model);
  assert.equal(await exists(partPathOf(destination)), false, "no .part file is left");
  const last = progress.at(-1)!;
  assert.equal(last.receivedBytes, model.length);
  assert.equal(last.totalBytes, model.length);
  assert.equal(last.etaSeconds, 0);
  assert.deepEqual(requests.map((r) => r.url), ["/redirect/models/tiny.gguf", "/models/tiny.gguf"], "the redirect was followed");
});

test("a transfer cut mid-body resumes with a Range request and the file is whole", async () => {
  let cuts = 0;
  const cutAt = Math.floor(model.length * 0.4);
  handler = (req, res, body) => {
    if (!req.headers.range && cuts === 0) {
      cuts++;
      res.writeHead(200, { "Content-Length": body.length });
      res.write(body.subarray(0, cutAt), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    honest(req, res, body);
  };
  requests.length = 0;
  const destination = join(dir, "resumed.gguf");
  const result = await downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace });
  assert.equal(cuts, 1);
  assert.deepEqual(await readFile(destination), model);
  assert.equal(requests.length, 2);
  assert.match(requests[1].range ?? "", /^bytes=\d+-$/);
  const resumedAt = Number(/\d+/.exec(requests[1].range!)![0]);
  assert.ok(resumedAt > 0 && resumedAt <= cutAt, `resumed at ${resumedAt}, cut at ${cutAt}`);
  assert.equal(result.bytes, model.length);
});

test("an interrupted download without retries keeps its .part file and the next run resumes from it", async () => {
  const cutAt = Math.floor(model.length / 2);
  handler = (req, res, body) => {
    if (!req.headers.range) {
      res.writeHead(200, { "Content-Length": body.length });
      res.write(body.subarray(0, cutAt), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    honest(req, res, body);
  };
  const destination = join(dir, "second-run.gguf");
  await assert.rejects(downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace, retries: 0 }), (e: unknown) => e instanceof DownloadError && e.code === "interrupted");
  assert.equal(await exists(destination), false);
  const kept = (await stat(partPathOf(destination))).size;
  assert.ok(kept > 0 && kept <= cutAt);

  requests.length = 0;
  const result = await downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace, retries: 0 });
  assert.equal(result.resumedFromBytes, kept);
  assert.equal(requests[0].range, `bytes=${kept}-`);
  assert.deepEqual(await readFile(destination), model);
});

test("a server claiming more bytes than it sends is rejected and nothing is renamed into place", async () => {
  const claimed = model.length + 4096;
  handler = (req, res, body) => {
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? 0);
    const headers: Record<string, string | number> = { "Content-Length": claimed - start };
    if (start > 0) headers["Content-Range"] = `bytes ${start}-${claimed - 1}/${claimed}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    res.write(body.subarray(start), () => setTimeout(() => res.socket?.destroy(), 20));
  };
  const destination = join(dir, "liar-long.gguf");
  await assert.rejects(downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace, retries: 2 }), (e: unknown) => {
    assert.ok(e instanceof DownloadError, String(e));
    assert.ok(e.code === "interrupted" || e.code === "size-mismatch", e.message);
    return true;
  });
  assert.equal(await exists(destination), false, "never renamed into place");
});

test("a server whose length covers only part of the model is rejected by the GGUF check; the file is discarded", async () => {
  const short = model.length - 5000;
  handler = (_req, res, body) => {
    res.writeHead(200, { "Content-Length": short });
    res.end(body.subarray(0, short));
  };
  const destination = join(dir, "liar-short.gguf");
  await assert.rejects(downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace }), (e: unknown) => {
    assert.ok(e instanceof DownloadError && e.code === "not-gguf", String(e));
    assert.match(e.message, /truncated/);
    return true;
  });
  assert.equal(await exists(destination), false);
  assert.equal(await exists(partPathOf(destination)), false, "a corrupt download is not kept for resuming");
});

test("a wrong checksum is rejected and the file is discarded", async () => {
  handler = honest;
  const destination = join(dir, "checksum.gguf");
  await assert.rejects(downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace, sha256: "0".repeat(64) }), (e: unknown) => e instanceof DownloadError && e.code === "checksum");
  assert.equal(await exists(destination), false);
  assert.equal(await exists(partPathOf(destination)), false);
});

test("too little disk space refuses the download before writing anything", async () => {
  handler = honest;
  const destination = join(dir, "no-space.gguf");
  const asked: string[] = [];
  await assert.rejects(
    downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: async (folder) => (asked.push(folder), model.length - 1) }),
    (e: unknown) => {
      assert.ok(e instanceof DownloadError && e.code === "no-space", String(e));
      assert.match(e.message, /Not enough disk space/);
      return true;
    },
  );
  assert.deepEqual(asked, [dir]);
  assert.equal(await exists(destination), false);
  assert.equal(await exists(partPathOf(destination)), false, "nothing was written");
});

test("cancelling stops the transfer, keeps the .part file for a resume and never renames it", async () => {
  let sent = 0;
  handler = (_req, res, body) => {
    res.writeHead(200, { "Content-Length": body.length });
    // Sends the first chunk, then waits: the test cancels while the body is still open.
    res.write(body.subarray(0, 65536), () => (sent = 65536));
  };
  const destination = join(dir, "cancelled.gguf");
  const controller = new AbortController();
  const download = downloadModel({
    url: `${base}/m.gguf`,
    destination,
    freeSpace: plentyOfSpace,
    signal: controller.signal,
    progressIntervalMs: 0,
    onProgress: (p) => p.receivedBytes >= 65536 && controller.abort(),
  });
  await assert.rejects(download, (e: unknown) => e instanceof DownloadError && e.code === "cancelled");
  assert.equal(sent, 65536);
  assert.equal(await exists(destination), false);
  assert.equal((await stat(partPathOf(destination))).size, 65536);
});

test("a destination that already exists is not overwritten; a whole model there is taken as downloaded", async () => {
  handler = honest;
  const destination = join(dir, "existing.gguf");
  await writeFile(destination, "mine");
  await assert.rejects(downloadModel({ url: `${base}/m.gguf`, destination, freeSpace: plentyOfSpace }), (e: unknown) => e instanceof DownloadError && e.code === "exists");
  assert.equal(await readFile(destination, "utf8"), "mine");

  const model = join(dir, "whole", "model.gguf");
  requests.length = 0;
  const again = await downloadModel({ url: `${base}/m.gguf`, destination: model, freeSpace: plentyOfSpace });
  assert.equal(again.alreadyPresent, true);
  assert.equal(requests.length, 0, "nothing was fetched");
});

test("hf: URIs map to Hugging Face resolve URLs", () => {
  assert.equal(resolveModelUrl("hf:Qwen/Qwen2.5-Coder-1.5B-GGUF/qwen2.5-coder-1.5b-q8_0.gguf"), "https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B-GGUF/resolve/main/qwen2.5-coder-1.5b-q8_0.gguf");
  assert.equal(resolveModelUrl("hf:o/r/sub/f.gguf#dev", "http://127.0.0.1:1/"), "http://127.0.0.1:1/o/r/resolve/dev/sub/f.gguf");
  assert.throws(() => resolveModelUrl("hf:Qwen/Qwen2.5-Coder-1.5B-GGUF:Q8_0"), /owner\/repo\/file\.gguf/);
  assert.throws(() => resolveModelUrl("ftp://x/y.gguf"), /Not a model URI/);
});

test("freehold models pull downloads with a progress bar on stderr", async () => {
  handler = honest;
  const out = join(dir, "pulled");
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [resolve("bin/freehold.mjs"), "models", "pull", `${base}/files/tiny-model.gguf`, "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await readFile(join(out, "tiny-model.gguf")), model);
  assert.match(run.stderr, /100%/);
  assert.match(run.stderr, /KB|MB/);
  assert.equal(run.stdout.trim(), join(out, "tiny-model.gguf"));
});
