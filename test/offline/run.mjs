#!/usr/bin/env node
// The `offline` test layer: runs test/offline/session.ts (a whole Freehold session in the real VS Code) under
// `strace -f`, which follows every process it starts: the VS Code server, the extension host, the inference
// worker, the `freehold models` CLI child, Chromium and its renderers (the webviews) and network service.
// Every connect()/sendto()/sendmsg() with an address is recorded. Passes only when every feature of the
// session worked and no process reached anything but loopback or local IPC (a DNS lookup counts as a leak).
// Prints the observed destinations, then "offline: N passed, N failed".
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { summarize } from "./destinations.mjs";
import { remoteProof } from "./remoteProof.mjs";

const root = resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "freehold-offline-"));
const trace = join(dir, "connect.trace");
const started = Date.now();

const args = ["-f", "--seccomp-bpf", "-Y", "-yy", "-qq", "-s", "120", "-e", "trace=connect,sendto,sendmsg,sendmmsg,execve", "-e", "signal=none", "-o", trace, process.execPath, "--import", "tsx", join(root, "test", "offline", "session.ts")];
// Chromium (the test's stand-in for the user's VS Code window) resolves names in the background on its own
// (component and variation servers); that is not Freehold, so its resolver answers "not found" for every name
// without asking DNS. A webview that tried to reach a host still shows: the session records every request of
// every page and frame through Playwright and fails on any that is not for the VS Code server.
const chromiumArgs = JSON.stringify(["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]);
const child = spawn("strace", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, FREEHOLD_CHROMIUM_ARGS: chromiumArgs } });
let output = "";
child.stdout.on("data", (d) => {
  output += d;
  process.stdout.write(d);
});
child.stderr.on("data", (d) => process.stderr.write(d));
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // gone
    }
    setTimeout(() => process.exit(code), 3000).unref();
  });
}
const code = await new Promise((done) => {
  child.on("error", (error) => {
    console.error(`offline: could not start strace (${error.message}); scripts/ensure-system-deps.sh installs it`);
    done(1);
  });
  child.on("close", (exit) => done(exit ?? 1));
});

let log = "";
try {
  log = readFileSync(trace, "utf8");
} catch {
  // strace never wrote: counted as a failure below
}
const { destinations, leaks } = summarize(log);
console.log(`\noffline: destinations observed (${destinations.length}):`);
for (const d of destinations) {
  console.log(`  ${d.kind.padEnd(28)} ${d.family.padEnd(10)} ${d.address}  ×${d.count}  [${d.processes.join(", ")}]`);
}
console.log(`offline: ${leaks.length} non-loopback destination(s)`);
// The processes the promise is about were under the trace: their start (execve) is in it.
const started_ = (what) => log.split("\n").some((line) => /execve\(/.test(line) && what.test(line));
const coverage = [
  ["the VS Code server", /code-server|server-main|out\/server/],
  ["the extension host", /extensionHost|bootstrap-fork/],
  ["the inference worker", /dist\/worker\.mjs/],
  ["the freehold models CLI child", /dist\/cli\.mjs/],
  // Renderers are forked by the zygote without an exec of their own; the network service is a utility process.
  ["Chromium's zygote (the renderers' parent)", /chromium.*"--type=zygote"/],
  ["Chromium's network service", /"--utility-sub-type=network\.mojom\.NetworkService"/],
];
const missing = coverage.filter(([, pattern]) => !started_(pattern)).map(([name]) => name);
console.log(`offline: traced from their start: ${coverage.filter(([name]) => !missing.includes(name)).map(([name]) => name).join(", ")}`);
if (missing.length) console.log(`offline: NOT seen starting under the trace: ${missing.join(", ")}`);
const session = /offline-session: (\d+) passed, (\d+) failed/.exec(output);
const featuresPassed = Number(session?.[1] ?? 0);
const featuresFailed = Number(session?.[2] ?? 1);
const traced = log.length > 0 && destinations.some((d) => d.kind === "loopback") && missing.length === 0;
if (!traced) console.log("offline: the trace does not cover the session (no loopback connection, or a process above missing)");
// With a remote engine configured, exactly the configured server is allowed (test/offline/remoteProof.mjs).
console.log("\noffline: with a remote engine (freehold complete/chat --server, a llama-server on this machine's network address):");
const remote = await remoteProof(root);
const passed = featuresPassed + (leaks.length === 0 && traced ? 1 : 0) + remote.passed;
const failed = featuresFailed + (leaks.length === 0 && traced ? 0 : 1) + (code !== 0 && featuresFailed === 0 ? 1 : 0) + remote.failed;
console.log(`offline: run time ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (process.env.FREEHOLD_KEEP_TRACE === "1") console.log(`offline: trace kept in ${trace}`);
else rmSync(dir, { recursive: true, force: true });
console.log(`offline: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
