// Builds the bundles of the extension and the command-line interface:
//   dist/extension.js  src/vscode/entry.ts: all VS Code loads at activation (CommonJS, `vscode` external)
//   dist/host.js       src/extension.ts: the rest of the extension host side, required by the entry on first use
//   dist/worker.mjs    inference worker (ESM, node-llama-cpp external, loaded from node_modules at run time)
//   dist/cli.mjs       command-line interface (ESM, node-llama-cpp external)
//   dist/webview/chat.js  chat view script for the browser
//   out/test/suite/index.js  integration suite run inside VS Code (CommonJS, `vscode` and mocha external)
import * as esbuild from "esbuild";
import { readdirSync, existsSync, rmSync } from "node:fs";

const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

const common = {
  bundle: true,
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "info",
  legalComments: "none",
};

/** node-llama-cpp is ESM with native binaries; it must stay a real package in node_modules. */
const nodeExternals = ["node-llama-cpp", "@node-llama-cpp/*", "vscode"];

const builds = [
  {
    ...common,
    // Two bundles, not code splitting (esbuild splits only ESM): modules both use are copied into each, so
    // module-level state must not be shared between them (see src/extension.ts).
    entryPoints: { extension: "src/vscode/entry.ts", host: "src/extension.ts" },
    outdir: "dist",
    platform: "node",
    format: "cjs",
    target: "node20",
    external: [...nodeExternals, "./host.js"],
  },
  {
    ...common,
    entryPoints: { worker: "src/engine/worker/main.ts", cli: "src/cli/main.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    platform: "node",
    format: "esm",
    target: "node20",
    external: nodeExternals,
    // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __freeholdCreateRequire } from 'node:module'; const require = __freeholdCreateRequire(import.meta.url);" },
  },
  {
    ...common,
    entryPoints: { "webview/chat": "src/webview/chat.ts" },
    outdir: "dist",
    platform: "browser",
    format: "iife",
    target: "es2022",
    // chat.css imports the codicon font: it is copied beside the bundle (served from the extension, never a CDN).
    loader: { ".ttf": "file" },
    assetNames: "webview/[name]-[hash]",
  },
];

if (!production) {
  // Stale bundles of deleted suite files would otherwise still be run by mocha.
  rmSync("out/test/suite", { recursive: true, force: true });
  builds.push({
    ...common,
    // Each suite file is its own entry so mocha can load them after its globals exist.
    entryPoints: existsSync("test/suite") ? readdirSync("test/suite").filter((f) => f.endsWith(".ts")).map((f) => `test/suite/${f}`) : [],
    outdir: "out/test/suite",
    platform: "node",
    format: "cjs",
    target: "node20",
    external: [...nodeExternals, "mocha"],
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
