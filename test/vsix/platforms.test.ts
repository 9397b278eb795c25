// The six platform packages written by `npm run package -- --target all` (FREEHOLD_VSIX_DIR names their folder):
// each holds the bundles, the tree-sitter WASM files and exactly its platform's node-llama-cpp binary packages,
// and every native file in it is of its target's format and CPU, read from the file's own header. The package
// for this machine is unpacked and its node-llama-cpp loads the packaged binary with build "never".
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import yauzl from "yauzl";
import { NATIVE_FILE_NAME, nativeFormat } from "../../scripts/vsix/nativeFormat.mjs";
import { ALL_TARGETS, TARGETS, binaryPackagesFor } from "../../scripts/vsix/targets.mjs";

const root = resolve(import.meta.dirname, "..", "..");
const vsixDir = process.env.FREEHOLD_VSIX_DIR;
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
const nodeLlamaCppVersion = (JSON.parse(readFileSync(join(root, "node_modules", "node-llama-cpp", "package.json"), "utf8")) as { version: string }).version;
const hostTarget = `${process.platform}-${process.arch}`;

/** Every file of a .vsix (a zip) with its contents. */
function readVsix(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolveRead, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${file}`));
      const files = new Map<string, Buffer>();
      zip.on("error", reject);
      zip.on("end", () => resolveRead(files));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const vsixPath = (target: string) => join(vsixDir ?? "", `${manifest.name}-${target}-${manifest.version}.vsix`);

test("FREEHOLD_VSIX_DIR names the folder the packages were written to", () => {
  assert.ok(vsixDir, "set FREEHOLD_VSIX_DIR (the vsix layer of npm test does)");
  for (const target of ALL_TARGETS) assert.ok(existsSync(vsixPath(target)), `${vsixPath(target)} was written`);
});

for (const target of ALL_TARGETS) {
  test(`${target}: its own binaries only, each of ${TARGETS[target].native.format} ${TARGETS[target].native.cpu}`, { skip: !vsixDir }, async () => {
    const file = vsixPath(target);
    const files = await readVsix(file);
    const expected = TARGETS[target].native;
    const wantedPackages = binaryPackagesFor(target);

    const vsixManifest = files.get("extension.vsixmanifest")?.toString("utf8") ?? "";
    assert.match(vsixManifest, new RegExp(`TargetPlatform="${target}"`), "the manifest names the target platform");

    for (const bundle of ["dist/extension.js", "dist/host.js", "dist/worker.mjs", "dist/webview/chat.js", "package.json", "node_modules/node-llama-cpp/package.json"]) {
      assert.ok(files.has(`extension/${bundle}`), `${bundle} is in the package`);
    }
    const wasm = [...files.keys()].filter((name) => name.startsWith("extension/node_modules/@vscode/tree-sitter-wasm/wasm/") && name.endsWith(".wasm"));
    assert.ok(wasm.some((name) => name.endsWith("/tree-sitter.wasm")), "tree-sitter's runtime WASM is in the package");
    assert.ok(wasm.some((name) => /tree-sitter-typescript\.wasm$/.test(name)), "grammar WASM files are in the package");

    // Which @node-llama-cpp packages are there: exactly the target's.
    const present = new Set(
      [...files.keys()].map((name) => /^extension\/node_modules\/(@node-llama-cpp\/[^/]+)\//.exec(name)?.[1]).filter((name): name is string => Boolean(name)),
    );
    assert.deepEqual([...present].sort(), [...wantedPackages].sort(), "the package carries exactly its target's binary packages");
    for (const name of wantedPackages) {
      const packageJson = JSON.parse(files.get(`extension/node_modules/${name}/package.json`)?.toString("utf8") ?? "{}") as { version?: string };
      assert.equal(packageJson.version, nodeLlamaCppVersion, `${name} is at node-llama-cpp's version (getLlama ignores any other)`);
      const addons = [...files.keys()].filter((entry) => entry.startsWith(`extension/node_modules/${name}/bins/`) && entry.endsWith("/llama-addon.node"));
      assert.equal(addons.length, 1, `${name} has one llama.cpp addon`);
      assert.ok(files.has(`${dirname(addons[0])}/_nlcBuildMetadata.json`), `${name}'s addon has the build metadata getLlama requires`);
    }

    // Every native file, found by its header or its name, is of the target's format and CPU and inside a binary package.
    const native = [...files].flatMap(([name, bytes]) => {
      const kind = nativeFormat(bytes);
      return kind || NATIVE_FILE_NAME.test(name) ? [{ name, kind }] : [];
    });
    assert.ok(native.length > 0, "the package holds native files");
    const wrong = native.filter(({ kind }) => !kind || kind.format !== expected.format || !kind.cpus.includes(expected.cpu));
    assert.deepEqual(
      wrong.map(({ name, kind }) => `${name}: ${kind ? `${kind.format} ${kind.cpus.join("+")}` : "not a recognised binary"}`),
      [],
      `every native file is ${expected.format} ${expected.cpu}`,
    );
    const outside = native.filter(({ name }) => !wantedPackages.some((pkg) => name.startsWith(`extension/node_modules/${pkg}/`)));
    assert.deepEqual(outside.map(({ name }) => name), [], "native code only comes from the binary packages");
    assert.ok(![...files.keys()].some((name) => name.includes("/llama/localBuilds/") || name.endsWith("gitRelease.bundle")), "no local build or source bundle");

    const size = statSync(file).size;
    const unpacked = [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    console.log(
      `${target}: ${megabytes(size)} (${megabytes(unpacked)} unpacked), ${native.length} native files, ` +
        `${wantedPackages.join(" + ")}, GPU: ${TARGETS[target].gpu}`,
    );
  });
}

test(`${hostTarget}: the unpacked package's node-llama-cpp loads its packaged binary with build "never"`, { skip: !vsixDir || !TARGETS[hostTarget] }, async () => {
  const files = await readVsix(vsixPath(hostTarget));
  const dir = mkdtempSync(join(tmpdir(), "freehold-vsix-unpacked-"));
  try {
    for (const [name, bytes] of files) {
      if (!name.startsWith("extension/")) continue;
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes, { mode: 0o755 });
    }
    const extension = join(dir, "extension");
    // A child process with the unpacked extension as its only node_modules, as the worker runs inside VS Code.
    const probe = `
      const lib = await import(${JSON.stringify(join(extension, "node_modules", "node-llama-cpp", "dist", "index.js"))});
      const llama = await lib.getLlama({ gpu: "auto", build: "never", progressLogs: false, logLevel: lib.LlamaLogLevel.error, maxThreads: 1 });
      // node-llama-cpp drops the addon from require's cache; the process report lists the loaded libraries.
      const addons = process.report.getReport().sharedObjects.filter((path) => path.endsWith("llama-addon.node"));
      console.log(JSON.stringify({ buildType: llama.buildType, gpu: llama.gpu, addons }));
      await llama.dispose();
    `;
    // A file, not \`node -e\`: node-llama-cpp forks a process to test the binary, and a fork inherits -e.
    writeFileSync(join(dir, "probe.mjs"), probe);
    const run = spawnSync(process.execPath, [join(dir, "probe.mjs")], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NODE_PATH: "", NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
    });
    assert.equal(run.status, 0, `the probe ran: ${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as { buildType: string; gpu: string | false; addons: string[] };
    assert.equal(result.buildType, "prebuilt");
    assert.equal(result.addons.length, 1, `one llama.cpp addon loaded: ${result.addons.join(", ")}`);
    const from = binaryPackagesFor(hostTarget).map((name) => join(extension, "node_modules", ...name.split("/")));
    assert.ok(from.some((pkg) => result.addons[0].startsWith(pkg)), `the addon came from the package's own binaries: ${result.addons[0]}`);
    console.log(`${hostTarget}: getLlama({ build: "never" }) loaded ${result.addons[0].slice(extension.length + 1)} (gpu: ${String(result.gpu)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
