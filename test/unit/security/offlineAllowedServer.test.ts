// The offline proof with a remote engine configured (test/offline/remoteProof.mjs) allows exactly the configured
// server's address and port: the same host on another port, another host, or a name lookup stays a leak.
import { test } from "node:test";
import assert from "node:assert/strict";
// @ts-expect-error plain JavaScript module without types
import { classify, parseLine, summarize } from "../../offline/destinations.mjs";

const line = (ip: string, port: number) => `200<node> connect(21, {sa_family=AF_INET, sin_port=htons(${port}), sin_addr=inet_addr("${ip}")}, 16) = -1 EINPROGRESS (Operation now in progress)`;

test("exactly the configured ip:port is the configured server; nothing else is", () => {
  const allowed = ["192.0.2.2:8080"];
  assert.equal(classify(parseLine(line("192.0.2.2", 8080)), allowed), "configured server");
  assert.equal(classify(parseLine(line("192.0.2.2", 8081)), allowed), "leak: a network address");
  assert.equal(classify(parseLine(line("192.0.2.3", 8080)), allowed), "leak: a network address");
  assert.equal(classify(parseLine(line("192.0.2.2", 8080))), "leak: a network address", "without a configured server it is a leak");
  const { leaks, destinations } = summarize([line("192.0.2.2", 8080), line("127.0.0.1", 4000), line("8.8.8.8", 53)].join("\n"), allowed);
  assert.deepEqual(destinations.map((d: { kind: string }) => d.kind).sort(), ["configured server", "leak: a DNS query", "loopback"]);
  assert.equal(leaks.length, 1);
});
