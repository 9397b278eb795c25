#!/usr/bin/env node
// Packages Freehold as a platform-specific .vsix that runs offline:
// the bundles, media, grammars, node-llama-cpp with its runtime dependencies and the prebuilt binary
// for the target platform only, and the tree-sitter WASM files. Nothing else from node_modules.
//
// usage: node scripts/package-vsix.mjs [--target linux-x64] [--gpu] [--out DIR]
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: { target: { type: "string" }, gpu: { type: "boolean" }, out: { type: "string" } },
});
const target = values.target ?? `${process.platform === "win32" ? "win32" : process.platform}-${process.arch}`;

/** vsce target → node-llama-cpp prebuilt packages (CPU first, then GPU variants with --gpu). */
const BINARIES = {
  "linux-x64": [["linux-x64"], ["linux-x64-vulkan", "linux-x64-cuda", "linux-x64-cuda-ext"]],
  "linux-arm64": [["linux-arm64"], []],
  "linux-armhf": [["linux-armv7l"], []],
  "darwin-arm64": [["mac-arm64-metal"], []],
  "darwin-x64": [["mac-x64"], []],
  "win32-x64": [["win-x64"], ["win-x64-vulkan", "win-x64-cuda", "win-x64-cuda-ext"]],
  "win32-arm64": [["win-arm64"], []],
};
if (!BINARIES[target]) throw new Error(`Unknown target ${target}; one of ${Object.keys(BINARIES).join(", ")}`);
const [cpu, gpu] = BINARIES[target];
const wantedBinaries = new Set([...cpu, ...(values.gpu ? gpu : [])].map((name) => `@node-llama-cpp/${name}`));

for (const file of ["dist/extension.js", "dist/worker.mjs", "dist/webview/chat.js"]) {
  if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run the build first (npm run package does).`);
}

// The production dependency tree, as npm resolved it.
const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && line !== root)
  .map((line) => relative(root, line));

const packageName = (dir) => dir.replace(/^.*node_modules\//, "");
const skipped = [];
const modules = listed.filter((dir) => {
  const name = packageName(dir);
  if (name.startsWith("@node-llama-cpp/") && !wantedBinaries.has(name)) return skip(name, "other platform/GPU binary");
  if (name === "typescript") return skip(name, "optional peer dependency, not used at run time");
  return true;
});
function skip(name, why) {
  skipped.push(`${name} (${why})`);
  return false;
}
for (const binary of wantedBinaries) {
  if (!modules.some((dir) => packageName(dir) === binary)) throw new Error(`${binary} is not installed: package on a ${target} machine.`);
}

const stage = mkdtempSync(join(tmpdir(), "freehold-vsix-"));
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
    const isTreeSitter = packageName(dir) === "@vscode/tree-sitter-wasm";
    cpSync(join(root, dir), join(stage, dir), {
      recursive: true,
      filter: (src) => {
        const rel = relative(join(root, dir), src);
        if (rel.startsWith("node_modules")) return false; // nested packages are copied as their own entries
        if (rel.endsWith(".map") || rel.endsWith(".d.ts")) return false;
        if (packageName(dir) === "node-llama-cpp" && rel === join("llama", "gitRelease.bundle")) return false; // source-build bundle
        if (isTreeSitter) return rel === "" || rel === "package.json" || rel === "LICENSE" || rel.startsWith("wasm");
        return true;
      },
    });
  }
  // vsce reads the ignore list from the package folder; everything staged is meant to ship.
  writeFileSync(join(stage, ".vscodeignore"), "**/*.map\n**/*.ts\n!**/*.d.ts\n**/.github/**\n**/test/**\n**/*.md\n!README.md\n!CHANGELOG.md\n");

  const outDir = resolve(values.out ?? root);
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`);
  const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
  execFileSync(process.execPath, [vsce, "package", "--target", target, "--out", outFile, "--allow-missing-repository", "--skip-license"], {
    cwd: stage,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const size = statSync(outFile).size;
  console.log(`wrote ${relative(process.cwd(), outFile) || outFile} (${(size / 1048576).toFixed(1)} MB) for ${target}`);
  console.log(`left out: ${skipped.join(", ") || "nothing"}`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
