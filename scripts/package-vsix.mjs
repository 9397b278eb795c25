#!/usr/bin/env node
// Packages Freehold as platform-specific .vsix files that run offline: the bundles, media, grammars,
// node-llama-cpp with its runtime dependencies, the tree-sitter WASM files, and exactly the node-llama-cpp
// prebuilt binary packages the target platform loads (scripts/vsix/targets.mjs). Those binaries are not taken
// from node_modules (npm installs only this machine's): they are fetched from the npm registry at the version
// node-llama-cpp is pinned to, into a cache, and checked against the lockfile's integrity.
//
// usage: node scripts/package-vsix.mjs [--target linux-x64 | darwin-arm64,win32-x64 | all] [--cuda] [--out DIR]
// --cuda adds the CUDA packages to the win32-x64 and linux-x64 packages (opt-in: about 0.5 GB more).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cachedTarball, readLockfile, unpackTarball } from "./vsix/binaryCache.mjs";
import { NATIVE_FILE_NAME, nativeFormat } from "./vsix/nativeFormat.mjs";
import { TARGETS, binaryPackagesFor, parseTargets } from "./vsix/targets.mjs";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: { target: { type: "string" }, cuda: { type: "boolean" }, out: { type: "string" } },
});
const hostTarget = `${process.platform}-${process.arch}`;
const targets = parseTargets(values.target, hostTarget);
const started = Date.now();

for (const file of ["dist/extension.js", "dist/host.js", "dist/worker.mjs", "dist/webview/chat.js"]) {
  if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run the build first (npm run package does).`);
}

const nodeLlamaCppVersion = JSON.parse(readFileSync(join(root, "node_modules", "node-llama-cpp", "package.json"), "utf8")).version;
const lockfile = readLockfile(root);

// Fetch every binary package the chosen targets need first (in parallel), so a network or integrity
// problem stops the run before anything is written.
const wanted = [...new Set(targets.flatMap((target) => binaryPackagesFor(target, { withOptIn: values.cuda })))];
const tarballs = new Map();
const fetchStarted = Date.now();
await Promise.all(
  wanted.map(async (name) => {
    const fetched = await cachedTarball(name, nodeLlamaCppVersion, { lockfile, log: (line) => console.log(line) });
    tarballs.set(name, fetched);
  }),
);
const downloaded = [...tarballs.values()].filter((t) => t.downloaded).length;
console.log(
  `binaries: ${wanted.length} packages at ${nodeLlamaCppVersion} (${downloaded} downloaded, ${wanted.length - downloaded} from the cache), ` +
    `integrity checked against the ${[...new Set([...tarballs.values()].map((t) => t.from))].join("/")} in ${((Date.now() - fetchStarted) / 1000).toFixed(1)} s`,
);

// The production dependency tree, as npm resolved it, without any prebuilt binary package.
const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: root, encoding: "utf8", shell: process.platform === "win32" })
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && line !== root)
  .map((line) => relative(root, line));

const packageName = (dir) => dir.replace(/^.*node_modules[\\/]/, "").replace(/\\/g, "/");
const skipped = [];
const modules = listed.filter((dir) => {
  const name = packageName(dir);
  if (name.startsWith("@node-llama-cpp/")) return false; // fetched per target below
  if (name === "typescript") return skip(name, "optional peer dependency, not used at run time");
  // ipull's optional copy-on-write helper for local files: a native module per platform, never used by
  // Freehold's downloads (they come over HTTP); ipull imports it inside a try and carries on without it.
  if (name.startsWith("@reflink/")) return skip(name, "native optional dependency of ipull, unused");
  return true;
});
function skip(name, why) {
  skipped.push(`${name} (${why})`);
  return false;
}

const outDir = resolve(values.out ?? root);
mkdirSync(outDir, { recursive: true });
const stage = mkdtempSync(join(tmpdir(), "freehold-vsix-"));
const written = [];
try {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  delete manifest.devDependencies;
  delete manifest.scripts;
  delete manifest.bin;
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const entry of ["dist", "media", "syntaxes", "README.md", "LICENSE", "CHANGELOG.md"]) {
    if (existsSync(join(root, entry))) {
      cpSync(join(root, entry), join(stage, entry), { recursive: true, filter: (src) => !src.endsWith(".map") });
    }
  }
  for (const dir of modules) {
    const name = packageName(dir);
    const isTreeSitter = name === "@vscode/tree-sitter-wasm";
    cpSync(join(root, dir), join(stage, dir), {
      recursive: true,
      filter: (src) => {
        const rel = relative(join(root, dir), src).replace(/\\/g, "/");
        if (rel.startsWith("node_modules")) return false; // nested packages are copied as their own entries
        if (rel.endsWith(".map") || rel.endsWith(".d.ts")) return false;
        if (name === "node-llama-cpp") {
          if (rel === "llama/gitRelease.bundle") return false; // llama.cpp source for building, never done here
          if (rel === "llama/localBuilds" || rel.startsWith("llama/localBuilds/")) return false; // this machine's own builds
          if (rel === "bins" || rel.startsWith("bins/")) return false; // only notes that binaries moved to packages
        }
        if (isTreeSitter) return rel === "" || rel === "package.json" || rel === "LICENSE" || rel.startsWith("wasm");
        return true;
      },
    });
  }
  // vsce reads the ignore list from the package folder; everything staged is meant to ship.
  writeFileSync(join(stage, ".vscodeignore"), "**/*.map\n**/*.ts\n!**/*.d.ts\n**/.github/**\n**/test/**\n**/*.md\n!README.md\n!CHANGELOG.md\n");
  const foreign = nativeFilesIn(stage);
  if (foreign.length) throw new Error(`native files outside the binary packages would ship: ${foreign.map((f) => f.path).join(", ")}`);

  const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
  for (const target of targets) {
    const targetStarted = Date.now();
    const binariesDir = join(stage, "node_modules", "@node-llama-cpp");
    rmSync(binariesDir, { recursive: true, force: true });
    const binaries = binaryPackagesFor(target, { withOptIn: values.cuda });
    for (const name of binaries) await unpackTarball(tarballs.get(name).tarball, join(stage, "node_modules", ...name.split("/")));
    // A last guard before writing: every native file staged is of the target's format and CPU.
    const expected = TARGETS[target].native;
    const wrong = nativeFilesIn(stage).filter((f) => !f.kind || f.kind.format !== expected.format || !f.kind.cpus.includes(expected.cpu));
    if (wrong.length) {
      throw new Error(`${target}: native files of another platform: ${wrong.map((f) => `${f.path} (${f.kind ? `${f.kind.format} ${f.kind.cpus}` : "unknown"})`).join(", ")}`);
    }

    const outFile = join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`);
    execFileSync(process.execPath, [vsce, "package", "--target", target, "--out", outFile, "--allow-missing-repository", "--skip-license"], {
      cwd: stage,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const size = statSync(outFile).size;
    written.push({ target, size });
    console.log(
      `wrote ${relative(process.cwd(), outFile) || outFile} (${(size / 1048576).toFixed(1)} MB) for ${target}: ` +
        `${binaries.join(", ")} in ${((Date.now() - targetStarted) / 1000).toFixed(1)} s`,
    );
  }
  console.log(`left out: ${skipped.join(", ") || "nothing"}`);
  console.log(`packaged ${written.length} target(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/** Every file under `dir` that is native code by name or by header, with its format and CPUs. */
function nativeFilesIn(dir) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!entry.isFile()) continue;
      const kind = nativeFormat(readStart(path));
      if (kind || NATIVE_FILE_NAME.test(entry.name)) found.push({ path: relative(dir, path), kind });
    }
  };
  walk(dir);
  return found;
}

function readStart(path) {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.alloc(4096);
    const read = readSync(fd, bytes, 0, bytes.length, 0);
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
