#!/usr/bin/env node
// `npm test`: build, then the test layers, each one's output streamed as it runs:
//   typecheck    tsc --noEmit over src/ and test/
//   unit         node --test over test/unit/**/*.test.ts (plain Node, real inference on the generated tiny model)
//   integration  test/vscode/run-integration.mjs: the mocha suites of test/suite inside a real VS Code
//   ui           test/ui/run.ts: Playwright in Chromium against VS Code's server build
//   vsix         packages all six platform .vsix files, checks their contents (test/vsix), runs the UI tests
//                marked vsix against this machine's package
//   offline      test/offline/run.mjs: a whole session in the real VS Code under strace; no connection may go
//                anywhere but loopback and local IPC (prints the destinations it saw)
// FREEHOLD_TEST_LAYERS=unit,integration,ui selects layers (default: all six).
// Prints per-layer counts and durations, then ONE last line "N passed, N failed" (a layer that crashes or
// exits non-zero without a counted failure counts as one failure); exits non-zero when anything failed.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const KNOWN = ["typecheck", "unit", "integration", "ui", "vsix", "offline"];
const DEFAULT_LAYERS = ["typecheck", "unit", "integration", "ui", "vsix", "offline"];
const layers = process.env.FREEHOLD_TEST_LAYERS ? process.env.FREEHOLD_TEST_LAYERS.split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_LAYERS;
const unknown = layers.filter((l) => !KNOWN.includes(l));
if (unknown.length) {
  console.error(`freehold: unknown test layer(s) ${unknown.join(", ")}; known: ${KNOWN.join(", ")}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const results = [];
let current;

// Every step gets a temp folder of this run as its TMPDIR, removed at the end: whatever a test, VS Code or a
// worker leaves in the temp directory goes with it.
const runTemp = mkdtempSync(join(tmpdir(), "freehold-test-run-"));
const removeRunTemp = () => rmSync(runTemp, { recursive: true, force: true });

// Each step runs in its own process group, so an interrupted `npm test` takes the whole step down with it.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => {
    if (current) {
      try {
        process.kill(-current.pid, signal);
      } catch {
        // already gone
      }
    }
    setTimeout(() => {
      removeRunTemp();
      process.exit(code);
    }, 3000).unref();
  });
}

/** Runs a command with its output streamed through; resolves with its exit code and output. */
function run(command, args, env = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, TMPDIR: runTemp, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    current = child;
    let output = "";
    const relay = (stream) => (data) => {
      output += data.toString();
      stream.write(data);
    };
    child.stdout.on("data", relay(process.stdout));
    child.stderr.on("data", relay(process.stderr));
    child.on("error", (error) => {
      output += `\n${error.message}\n`;
      process.stderr.write(`${error.message}\n`);
    });
    child.on("close", (code, signal) => {
      current = undefined;
      resolveRun({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

function unitTestFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...unitTestFiles(path));
    else if (entry.name.endsWith(".test.ts")) files.push(relative(root, path));
  }
  return files.sort();
}

/** Counts with the exit code taken into account: non-zero without a counted failure is one failure. */
function counted(code, passed, failed) {
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

const last = (regex, text) => {
  const all = [...text.matchAll(new RegExp(regex.source, `${regex.flags.replace("g", "")}g`))];
  return all.length ? all.at(-1) : undefined;
};

async function layer(name, work) {
  const started = Date.now();
  console.log(`\n━━ ${name} ━━`);
  let counts;
  try {
    counts = await work();
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    counts = { passed: 0, failed: 1 };
  }
  const result = { name, ...counts, seconds: (Date.now() - started) / 1000 };
  results.push(result);
  console.log(`━━ ${name}: ${result.passed} passed, ${result.failed} failed in ${result.seconds.toFixed(1)} s`);
  return result;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const started = Date.now();

const build = await layer("build", async () => {
  const { code } = await run(npm, ["run", "--silent", "build"]);
  return { passed: 0, failed: code === 0 ? 0 : 1 };
});
const built = build.failed === 0;

if (layers.includes("typecheck")) {
  await layer("typecheck", async () => {
    const { code } = await run(npm, ["run", "--silent", "typecheck"]);
    return { passed: 0, failed: code === 0 ? 0 : 1 };
  });
}

// llama.cpp's llama-server, the team server of the remote-engine tests (unit and integration): built once per
// machine from the source inside node-llama-cpp (7.5 minutes on a quiet 2-core machine, 20 beside other jobs; then cached under ~/.cache/freehold),
// timed apart like VS Code's server build. The tests find it through FREEHOLD_LLAMA_SERVER.
if (layers.includes("unit") || layers.includes("integration")) {
  await layer("llama-server build", async () => {
    const deps = await run("bash", [join(root, "scripts", "ensure-system-deps.sh"), "cmake"]);
    if (deps.code !== 0) return { passed: 0, failed: 1 };
    const { code, output } = await run(process.execPath, [join(root, "scripts", "build-llama-server.mjs")]);
    const path = output.trim().split("\n").pop();
    if (code === 0 && path) process.env.FREEHOLD_LLAMA_SERVER = path;
    return { passed: 0, failed: code === 0 ? 0 : 1 };
  });
}

if (layers.includes("unit")) {
  await layer("unit", async () => {
    const files = unitTestFiles(join(root, "test", "unit"));
    if (files.length === 0) return { passed: 0, failed: 0 };
    const { code, output } = await run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...files]);
    // Summary of node's spec reporter ("ℹ pass 12") or TAP ("# pass 12").
    const count = (what) => Number(last(new RegExp(`^(?:ℹ|#) ${what} (\\d+)`, "m"), output)?.[1] ?? 0);
    return counted(code, count("pass"), count("fail") + count("cancelled"));
  });
}

const needsVsCode = ["integration", "ui", "vsix", "offline"].filter((l) => layers.includes(l));
let vsCodeReady = needsVsCode.length > 0;
if (vsCodeReady) {
  const deps = await run("bash", [join(root, "scripts", "ensure-system-deps.sh")]);
  if (deps.code !== 0) {
    vsCodeReady = false;
    for (const name of needsVsCode) results.push({ name: `${name} (system packages missing)`, passed: 0, failed: 1, seconds: 0 });
  } else {
    // Install VS Code's server build up front (once per machine; ~2–3 min) so its time is reported apart.
    const install = await layer("VS Code server build", async () => {
      const { code } = await run(process.execPath, [join(root, "test", "vscode", "install.mjs")]);
      return { passed: 0, failed: code === 0 ? 0 : 1 };
    });
    vsCodeReady = install.failed === 0 || process.env.FREEHOLD_VSCODE_DESKTOP === "1";
  }
}

/** Integration and UI layers need the bundles and VS Code; when either is missing they count as failed. */
async function vsCodeLayer(name, work) {
  if (!built || !vsCodeReady) {
    results.push({ name: `${name} (not run: ${!built ? "build failed" : "VS Code unavailable"})`, passed: 0, failed: 1, seconds: 0 });
    return;
  }
  await layer(name, work);
}

if (layers.includes("integration")) {
  await vsCodeLayer("integration", async () => {
    const { code, output } = await run(process.execPath, [join(root, "test", "vscode", "run-integration.mjs")]);
    const mine = last(/^integration: (\d+) passed, (\d+) failed/m, output);
    if (mine) return counted(code, Number(mine[1]), Number(mine[2]));
    return counted(code, Number(last(/(\d+) passing/, output)?.[1] ?? 0), Number(last(/(\d+) failing/, output)?.[1] ?? 0));
  });
}

if (layers.includes("ui")) {
  await vsCodeLayer("ui", async () => {
    const { code, output } = await run(process.execPath, ["--import", "tsx", join(root, "test", "ui", "run.ts")]);
    const match = last(/^ui: (\d+) passed, (\d+) failed/m, output);
    return counted(code, Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
  });
}

if (layers.includes("offline")) {
  await vsCodeLayer("offline", async () => {
    const { code, output } = await run(process.execPath, [join(root, "test", "offline", "run.mjs")]);
    const match = last(/^offline: (\d+) passed, (\d+) failed/m, output);
    return counted(code, Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
  });
}

if (layers.includes("vsix")) {
  await vsCodeLayer("vsix", async () => {
    // All six platform packages (binaries fetched into ~/.cache/freehold once), their contents checked by
    // test/vsix, then this machine's package installed into VS Code for the UI tests marked vsix.
    const outDir = join(root, ".freehold-test", "vsix");
    const pack = await run(npm, ["run", "--silent", "package", "--", "--target", "all", "--out", outDir]);
    const host = `${process.platform}-${process.arch}`;
    const file = [...pack.output.matchAll(/wrote (\S+\.vsix)/g)].map((m) => m[1]).find((name) => name.includes(`-${host}-`));
    // Packaging rebuilt dist/ for production; put the development build back for whatever runs next.
    await run(npm, ["run", "--silent", "build"]);
    if (pack.code !== 0 || !file) return { passed: 0, failed: 1 };
    const contents = await run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", join("test", "vsix", "platforms.test.ts")], {
      FREEHOLD_VSIX_DIR: outDir,
    });
    const count = (what) => Number(last(new RegExp(`^(?:ℹ|#) ${what} (\\d+)`, "m"), contents.output)?.[1] ?? 0);
    const checked = counted(contents.code, count("pass"), count("fail") + count("cancelled"));
    const { code, output } = await run(process.execPath, ["--import", "tsx", join(root, "test", "ui", "run.ts"), "--vsix", resolve(root, file)]);
    const match = last(/^ui: (\d+) passed, (\d+) failed/m, output);
    const ui = counted(code, Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
    return { passed: checked.passed + ui.passed, failed: checked.failed + ui.failed };
  });
}

console.log("\n━━ summary ━━");
for (const r of results) console.log(`${r.name.padEnd(48)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed ${r.seconds.toFixed(1).padStart(7)} s`);
console.log(`${"total".padEnd(48)} ${" ".repeat(27)} ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
removeRunTemp();
process.exit(failed ? 1 : 0);
