// Download hardening against real local servers (HTTP and HTTPS with a self-signed certificate for
// 127.0.0.1 in test/fixtures/tls) serving a generated GGUF model: no https→http redirect, If-Range on
// resume (a file that changed upstream is fetched again, never spliced), a stall timeout with a clear
// message, VS Code's proxy settings reaching the forked CLI, and nothing created when a download fails.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, globalAgent } from "node:https";
import { connect } from "node:net";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tinyModelPath } from "../../helpers/models";
import { closeServers, exists, listenOnLoopback, plentyOfSpace } from "../../helpers/downloadServers";
import { downloadModel, DownloadError, partPathOf } from "../../../src/models/download";
import { proxyEnv } from "../../../src/models/proxy";
import { ModelsCli } from "../../../src/vscode/models/modelsCli";

const TLS = resolve("test/fixtures/tls");
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let modelA: Buffer;
let modelB: Buffer;
let dir: string;
let cert: Buffer;
let handler: Handler;
let httpServer: Server;
let httpsServer: Server;
let proxyServer: Server;
let httpBase: string;
let httpsBase: string;
let proxyUrl: string;
const requests: Array<{ url: string; headers: IncomingMessage["headers"] }> = [];
const proxied: string[] = [];

/** Serves `body` with an ETag and Last-Modified, honouring Range and If-Range as RFC 9110 says. */
function versioned(body: Buffer, etag: string, lastModified: string, options: { ignoreIfRange?: boolean } = {}): Handler {
  return (req, res) => {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const ifRange = req.headers["if-range"];
    const rangeApplies = range && (options.ignoreIfRange || ifRange === undefined || ifRange === etag || ifRange === lastModified);
    const headers = { ETag: etag, "Last-Modified": lastModified, "Accept-Ranges": "bytes" };
    if (rangeApplies) {
      const start = Number(range[1]);
      res.writeHead(206, { ...headers, "Content-Length": body.length - start, "Content-Range": `bytes ${start}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { ...headers, "Content-Length": body.length });
    res.end(body);
  };
}

/** Sends the headers and the first `bytes` of the body, then cuts the connection. */
function cutAfter(body: Buffer, bytes: number, etag: string, lastModified: string): Handler {
  return (_req, res) => {
    res.writeHead(200, { ETag: etag, "Last-Modified": lastModified, "Content-Length": body.length });
    res.write(body.subarray(0, bytes), () => setTimeout(() => res.socket?.destroy(), 50));
  };
}

const route = (req: IncomingMessage, res: ServerResponse) => {
  requests.push({ url: req.url ?? "", headers: req.headers });
  if (req.url?.startsWith("/to-http/")) {
    res.writeHead(302, { Location: `${httpBase}${req.url.slice("/to-http".length)}` }).end();
    return;
  }
  handler(req, res);
};

before(async () => {
  modelA = await readFile(await tinyModelPath({ seed: 1 }));
  modelB = await readFile(await tinyModelPath({ seed: 2 }));
  assert.equal(modelA.length, modelB.length, "two versions of one file: same size, different bytes");
  assert.notDeepEqual(modelA, modelB);
  dir = await mkdtemp(join(tmpdir(), "freehold-download-hardening-"));
  cert = await readFile(join(TLS, "localhost-cert.pem"));
  // Trust the test certificate for requests made without an agent of their own.
  globalAgent.options.ca = cert;
  httpServer = createServer(route);
  httpsServer = createHttpsServer({ cert, key: await readFile(join(TLS, "localhost-key.pem")) }, route);
  // A forward proxy: absolute-URI requests for http targets, CONNECT tunnels for https.
  proxyServer = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  proxyServer.on("connect", (req, socket, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  httpBase = await listenOnLoopback(httpServer);
  httpsBase = await listenOnLoopback(httpsServer, "https");
  proxyUrl = await listenOnLoopback(proxyServer);
});

after(async () => {
  await closeServers(httpServer, httpsServer, proxyServer);
  await rm(dir, { recursive: true, force: true });
});


test("an https download is fetched over TLS, and a redirect from https to plain http is refused before any request to it", async () => {
  handler = versioned(modelA, '"a"', "Mon, 01 Jan 2024 00:00:00 GMT");
  const good = join(dir, "tls", "model.gguf");
  await downloadModel({ url: `${httpsBase}/model.gguf`, destination: good, freeSpace: plentyOfSpace });
  assert.deepEqual(await readFile(good), modelA);

  requests.length = 0;
  const folder = join(dir, "downgrade", "models");
  await assert.rejects(
    downloadModel({ url: `${httpsBase}/to-http/model.gguf`, destination: join(folder, "model.gguf"), freeSpace: plentyOfSpace }),
    (error: unknown) => error instanceof DownloadError && error.code === "insecure-redirect" && /https.*unencrypted http/.test(error.message),
  );
  assert.deepEqual(
    requests.map((r) => r.url),
    ["/to-http/model.gguf"],
    "the plain-http address is never requested",
  );
  assert.equal(await exists(join(dir, "downgrade")), false, "nothing is created on disk");
});

for (const validator of ["ETag", "Last-Modified"] as const) {
  test(`a resume sends If-Range with the first response's ${validator}; a file changed upstream is fetched again from zero, not spliced`, async () => {
    const [etagA, dateA] = validator === "ETag" ? ['"version-a"', "Mon, 01 Jan 2024 00:00:00 GMT"] : ['W/"weak-a"', "Mon, 01 Jan 2024 00:00:00 GMT"];
    const [etagB, dateB] = validator === "ETag" ? ['"version-b"', "Mon, 01 Jan 2024 00:00:00 GMT"] : ['W/"weak-b"', "Tue, 02 Jan 2024 00:00:00 GMT"];
    const destination = join(dir, `changed-${validator}`, "model.gguf");
    handler = cutAfter(modelA, Math.floor(modelA.length / 2), etagA, dateA);
    await assert.rejects(downloadModel({ url: `${httpBase}/m.gguf`, destination, freeSpace: plentyOfSpace, retries: 0 }), DownloadError);
    const kept = (await stat(partPathOf(destination))).size;
    assert.ok(kept > 0, "a partial file is kept for the resume");

    // The file changes upstream; the server honours If-Range, and answers a bare Range with the new bytes.
    handler = versioned(modelB, etagB, dateB);
    requests.length = 0;
    const result = await downloadModel({ url: `${httpBase}/m.gguf`, destination, freeSpace: plentyOfSpace });
    // A weak ETag may not be used in If-Range: the date is.
    assert.equal(requests[0].headers["if-range"], validator === "ETag" ? etagA : dateA);
    assert.equal(requests[0].headers.range, `bytes=${kept}-`);
    assert.deepEqual(await readFile(destination), modelB, "the file is the new version, whole");
    assert.equal(result.bytes, modelB.length);
    assert.equal(await exists(partPathOf(destination)), false);
  });
}

test("a resume against a server that ignores If-Range but names another ETag starts over instead of splicing", async () => {
  const destination = join(dir, "ignores-if-range", "model.gguf");
  handler = cutAfter(modelA, 4096, '"a"', "Mon, 01 Jan 2024 00:00:00 GMT");
  await assert.rejects(downloadModel({ url: `${httpBase}/n.gguf`, destination, freeSpace: plentyOfSpace, retries: 0 }), DownloadError);
  handler = versioned(modelB, '"b"', "Tue, 02 Jan 2024 00:00:00 GMT", { ignoreIfRange: true });
  await downloadModel({ url: `${httpBase}/n.gguf`, destination, freeSpace: plentyOfSpace });
  assert.deepEqual(await readFile(destination), modelB);
});

test("an unchanged file resumes with If-Range and a 206, and is whole", async () => {
  const destination = join(dir, "unchanged", "model.gguf");
  handler = cutAfter(modelA, 8192, '"a"', "Mon, 01 Jan 2024 00:00:00 GMT");
  await assert.rejects(downloadModel({ url: `${httpBase}/u.gguf`, destination, freeSpace: plentyOfSpace, retries: 0 }), DownloadError);
  const kept = (await stat(partPathOf(destination))).size;
  assert.ok(kept > 0);
  handler = versioned(modelA, '"a"', "Mon, 01 Jan 2024 00:00:00 GMT");
  requests.length = 0;
  const result = await downloadModel({ url: `${httpBase}/u.gguf`, destination, freeSpace: plentyOfSpace });
  assert.equal(result.resumedFromBytes, kept);
  assert.equal(requests[0].headers["if-range"], '"a"');
  assert.deepEqual(await readFile(destination), modelA);
});

test("a connection that stops sending mid-body fails after the stall timeout with a clear message", { timeout: 30_000 }, async () => {
  handler = (_req, res) => {
    res.writeHead(200, { "Content-Length": modelA.length, ETag: '"s"' });
    res.write(modelA.subarray(0, 1000)); // … and then nothing, with the connection left open.
  };
  const destination = join(dir, "stall-body", "model.gguf");
  await assert.rejects(
    downloadModel({ url: `${httpBase}/stall.gguf`, destination, freeSpace: plentyOfSpace, retries: 0, stallTimeoutMs: 400 }),
    (error: unknown) => error instanceof DownloadError && error.code === "stalled" && /stalled at .*no data from 127\.0\.0\.1:\d+ for 400 ms.*run it again to resume/.test(error.message),
  );
  httpServer.closeAllConnections();
});

test("a server that never answers fails after the stall timeout, and nothing is created", { timeout: 30_000 }, async () => {
  handler = () => undefined; // headers never come
  const folder = join(dir, "stall-headers");
  await assert.rejects(
    downloadModel({ url: `${httpBase}/silent.gguf`, destination: join(folder, "model.gguf"), freeSpace: plentyOfSpace, retries: 0, stallTimeoutMs: 400 }),
    (error: unknown) => error instanceof DownloadError && error.code === "stalled" && /sent no answer for 400 ms/.test(error.message),
  );
  assert.equal(await exists(folder), false);
  httpServer.closeAllConnections();
});

test("a failed `freehold models pull` creates no models folder", async () => {
  handler = (_req, res) => res.writeHead(404).end("no such file");
  const out = join(dir, "never", "models");
  const run = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(process.execPath, [resolve("bin/freehold.mjs"), "models", "pull", `${httpBase}/missing.gguf`, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stderr }));
  });
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /HTTP 404/);
  assert.equal(await exists(join(dir, "never")), false);
});

test("VS Code's proxy settings reach the forked downloader: http through the proxy, https through a CONNECT tunnel", async () => {
  handler = versioned(modelA, '"p"', "Mon, 01 Jan 2024 00:00:00 GMT");
  const logged: string[] = [];
  const settings = { proxy: proxyUrl, noProxy: ["example.invalid"], strictSSL: false };
  const cli = new ModelsCli({ cliPath: resolve("dist/cli.mjs"), log: (line) => logged.push(line), env: () => proxyEnv(settings) });

  proxied.length = 0;
  const plain = await cli.pull(`${httpBase}/via-proxy.gguf`, join(dir, "proxy-http"), () => undefined, new AbortController().signal);
  assert.deepEqual(await readFile(plain.path), modelA, logged.join("\n"));
  assert.deepEqual(proxied, [`GET ${httpBase}/via-proxy.gguf`]);

  // http.proxyStrictSSL false is what lets the self-signed test server through the tunnel.
  proxied.length = 0;
  const tls = await cli.pull(`${httpsBase}/via-tunnel.gguf`, join(dir, "proxy-https"), () => undefined, new AbortController().signal);
  assert.deepEqual(await readFile(tls.path), modelA, logged.join("\n"));
  assert.deepEqual(proxied, [`CONNECT ${httpsBase.slice("https://".length)}`]);

  // A host in http.noProxy is reached directly.
  proxied.length = 0;
  const direct = new ModelsCli({ cliPath: resolve("dist/cli.mjs"), log: () => undefined, env: () => proxyEnv({ ...settings, noProxy: ["127.0.0.1"] }) });
  await direct.pull(`${httpBase}/direct.gguf`, join(dir, "no-proxy"), () => undefined, new AbortController().signal);
  assert.deepEqual(proxied, []);
});
