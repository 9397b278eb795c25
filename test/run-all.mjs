#!/usr/bin/env node
// `npm test`: build, then every layer — unit (plain Node, real inference on the tiny model), integration
// (suites inside a real VS Code), UI (Playwright in Chromium), and the packaged .vsix installed into VS Code.
// Ends with one line "N passed, N failed"; exits non-zero when anything failed.
// FREEHOLD_TEST_LAYERS=unit,integration,ui,vsix selects layers.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const layers = (process.env.FREEHOLD_TEST_LAYERS ?? "unit,integration,ui,vsix").split(",").map((s) => s.trim());
const results = [];

function run(command, args, env = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const relay = (stream) => (data) => {
      output += data.toString();
      stream.write(data);
    };
    child.stdout.on("data", relay(process.stdout));
    child.stderr.on("data", relay(process.stderr));
    child.on("close", (code) => resolveRun({ code: code ?? 1, output }));
  });
}

function testFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...testFiles(path));
    else if (entry.endsWith(".test.ts")) files.push(relative(root, path));
  }
  return files.sort();
}

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
  results.push({ name, ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 });
}

/** A layer whose runner exits non-zero without reporting a failed test still counts as one failure. */
function counted(code, passed, failed) {
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

await layer("build", async () => {
  const build = await run(npm, ["run", "--silent", "build"]);
  const types = await run(npm, ["run", "--silent", "typecheck"]);
  return { passed: (build.code === 0 ? 1 : 0) + (types.code === 0 ? 1 : 0), failed: (build.code ? 1 : 0) + (types.code ? 1 : 0) };
});
const built = results[0].failed === 0;

const needsVsCode = ["integration", "ui", "vsix"].some((l) => layers.includes(l));
if (needsVsCode) {
  const deps = spawnSync("bash", [join(root, "scripts", "ensure-system-deps.sh")], { stdio: "inherit" });
  if (deps.status !== 0) results.push({ name: "system packages for VS Code tests", passed: 0, failed: 1, seconds: 0 });
}
const depsReady = !results.some((r) => r.name.startsWith("system packages"));

if (layers.includes("unit")) {
  await layer("unit", async () => {
    const { code, output } = await run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...testFiles(join(root, "test", "unit"))]);
    const pass = Number(/ℹ pass (\d+)/.exec(output)?.[1] ?? 0);
    const fail = Number(/ℹ fail (\d+)/.exec(output)?.[1] ?? 0);
    return counted(code, pass, fail);
  });
}

if (built && depsReady && layers.includes("integration")) {
  await layer("integration (VS Code)", async () => {
    const { code, output } = await run(process.execPath, ["test/vscode/run-integration.mjs"]);
    const pass = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
    const fail = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
    return counted(code, pass, fail);
  });
}

if (built && depsReady && layers.includes("ui")) {
  await layer("ui (Playwright)", async () => {
    const { code, output } = await run(process.execPath, ["test/ui/run.mjs"]);
    const match = /ui: (\d+) passed, (\d+) failed/.exec(output);
    return counted(code, Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
  });
}

if (built && depsReady && layers.includes("vsix")) {
  await layer("vsix (packaged extension installed in VS Code)", async () => {
    const pack = await run(npm, ["run", "--silent", "package"]);
    const file = /wrote (\S+\.vsix)/.exec(pack.output)?.[1];
    if (pack.code !== 0 || !file) return { passed: 0, failed: 1 };
    const { code, output } = await run(process.execPath, ["test/ui/run.mjs", "--vsix", resolve(root, file)]);
    const match = /ui: (\d+) passed, (\d+) failed/.exec(output);
    return counted(code, 1 + Number(match?.[1] ?? 0), Number(match?.[2] ?? 0));
  });
}

console.log("\n━━ summary ━━");
for (const r of results) console.log(`${r.name.padEnd(50)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds} s`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
