// The offline proof with a remote engine configured: `freehold complete` and `freehold chat` with `--server` (the
// same RemoteEngine the editor uses) run under `strace -f` against a real llama-server listening on this machine's
// non-loopback address (so the connection is a network connection, though it never leaves the machine). Passes
// when both answer exactly the scripted model's text and every connection went to loopback, local IPC or exactly
// the configured server's address and port — nothing else, no name lookup.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { summarize } from "./destinations.mjs";

const SCRIPT = "a + b;";

/** This machine's first non-internal IPv4 address, or undefined. */
function outwardAddress() {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return undefined;
}

function traced(root, dir, name, args) {
  const trace = join(dir, `${name}.trace`);
  const run = spawnSync("strace", ["-f", "-Y", "-yy", "-qq", "-s", "120", "-e", "trace=connect,sendto,sendmsg,sendmmsg", "-e", "signal=none", "-o", trace, process.execPath, join(root, "dist", "cli.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 300_000,
  });
  let log = "";
  try {
    log = readFileSync(trace, "utf8");
  } catch {
    // strace never wrote
  }
  return { code: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? "", log };
}

/** @returns {Promise<{ passed: number, failed: number }>} */
export async function remoteProof(root) {
  const results = [];
  const check = (name, ok, detail = "") => {
    results.push(ok);
    console.log(`  ${ok ? "✔" : "✖"} ${name}${ok || !detail ? "" : `\n      ${detail.split("\n").join("\n      ")}`}`);
  };
  const host = outwardAddress();
  if (!host) {
    check("remote engine: this machine has a non-loopback address to serve on", false, "no non-internal IPv4 interface");
    return { passed: 0, failed: 1 };
  }
  const dir = mkdtempSync(join(tmpdir(), "freehold-offline-remote-"));
  let server;
  try {
    const built = spawnSync(process.execPath, [join(root, "scripts", "build-llama-server.mjs")], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const binary = process.env.FREEHOLD_LLAMA_SERVER || built.stdout.trim().split("\n").pop();
    writeFileSync(join(dir, "script.txt"), SCRIPT);
    const model = join(dir, "scripted.gguf");
    spawnSync(process.execPath, [join(root, "dist", "cli.mjs"), "make-model", "--script", join(dir, "script.txt"), "--out", model], { cwd: root, stdio: "ignore" });
    const port = 20000 + Math.floor(Math.random() * 20000);
    server = spawn(binary, ["-m", model, "--host", host, "--port", String(port), "-c", "1024", "-np", "1", "-t", "1", "-ngl", "0", "--no-webui", "--jinja", "--no-repack"], { stdio: "ignore" });
    const url = `http://${host}:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`llama-server did not start on ${url}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const source = join(dir, "add.ts");
    writeFileSync(source, "export function add(a: number, b: number): number {\n  return \n}\n");
    const complete = traced(root, dir, "complete", ["complete", `${source}:2:10`, "--server", url, "--workspace", dir, "--json"]);
    const chat = traced(root, dir, "chat", ["chat", "--server", url, "What is the sum?"]);
    let completion;
    try {
      completion = JSON.parse(complete.stdout).completion;
    } catch {
      completion = undefined;
    }
    check(`remote engine: freehold complete --server ${url} answers the server's text`, completion === SCRIPT, `exit ${complete.code}: ${complete.stdout}${complete.stderr}`);
    check(`remote engine: freehold chat --server ${url} answers the server's text`, chat.stdout.trim() === SCRIPT, `exit ${chat.code}: ${chat.stdout}${chat.stderr}`);
    const address = `${host}:${port}`;
    const { destinations, leaks } = summarize(complete.log + chat.log, [address]);
    console.log(`  remote engine: destinations observed (${destinations.length}):`);
    for (const d of destinations) console.log(`    ${d.kind.padEnd(28)} ${d.family.padEnd(10)} ${d.address}  ×${d.count}`);
    const reached = destinations.some((d) => d.kind === "configured server");
    check(`remote engine: the only connection off loopback is the configured server ${address}`, reached && leaks.length === 0, reached ? `leaks: ${leaks.map((l) => `${l.kind} ${l.address}`).join(", ")}` : "the server was never reached (is the trace empty?)");
  } catch (error) {
    check("remote engine: the proof ran", false, error instanceof Error ? error.message : String(error));
  } finally {
    if (server && server.exitCode === null) server.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
  const passed = results.filter(Boolean).length;
  return { passed, failed: results.length - passed };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const root = join(import.meta.dirname, "..", "..");
  const { passed, failed } = await remoteProof(root);
  console.log(`offline-remote: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
