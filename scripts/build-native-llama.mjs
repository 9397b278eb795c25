#!/usr/bin/env node
// Opt-in (`npm run build:native-llama`): compiles the llama.cpp source that node-llama-cpp ships inside its npm
// package for this machine's CPU (GGML_NATIVE, OpenMP). No network: the source comes from the package's git bundle.
// Needs cmake and a C++ compiler; takes about 10-30 minutes on 2 cores. The worker loads it with
// FREEHOLD_LLAMA_BUILD=native (or auto: native when built); the default stays the prebuilt binary.
// The custom CMake option below must match NATIVE_CMAKE_OPTIONS in src/engine/worker/llamaBuild.ts: node-llama-cpp
// names the build's folder after it, so the native build sits beside the prebuilt binary instead of replacing it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve("node-llama-cpp/package.json")), "dist", "cli", "cli.js");
for (const tool of ["cmake", "c++"]) {
  if (spawnSync(tool, ["--version"], { stdio: "ignore" }).status !== 0) {
    console.error(`build:native-llama needs ${tool} (on Debian/Ubuntu: apt-get install cmake g++).`);
    process.exit(1);
  }
}
const started = Date.now();
const result = spawnSync(process.execPath, [cli, "source", "download", "--gpu", "false", "--noUsageExample"], {
  stdio: "inherit",
  env: { ...process.env, NODE_LLAMA_CPP_CMAKE_OPTION_GGML_NATIVE: "ON" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`native llama.cpp build done in ${Math.round((Date.now() - started) / 60000)} min; run the worker with FREEHOLD_LLAMA_BUILD=native to use it; npm run bench -- --llama-build native --compare prebuilt compares.`);
