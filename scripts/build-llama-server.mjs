#!/usr/bin/env node
// Builds llama.cpp's own `llama-server` (CPU only) from the source that node-llama-cpp ships inside its npm package
// (a git bundle: no network), and caches it per llama.cpp release under
//   ${FREEHOLD_LLAMA_SERVER_CACHE:-${XDG_CACHE_HOME:-~/.cache}/freehold}/llama-server-<tag>/llama-server
// The remote-engine tests run it as the team's inference server. Needs git, cmake and a C++ compiler
// (scripts/ensure-system-deps.sh installs cmake). The first build takes about 7.5 minutes on a quiet 2-core machine (20 beside other jobs); after that
// this prints the cached path at once. Prints the binary's path as its last line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, copyFileSync, chmodSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";

const llamaDir = join(import.meta.dirname, "..", "node_modules", "node-llama-cpp", "llama");
const { tag } = JSON.parse(readFileSync(join(llamaDir, "llama.cpp.info.json"), "utf8"));
const cacheBase = process.env.FREEHOLD_LLAMA_SERVER_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "freehold");
const target = join(cacheBase, `llama-server-${tag}`, "llama-server");

if (existsSync(target)) {
  console.log(target);
  process.exit(0);
}
for (const [tool, args] of [["git", ["--version"]], ["cmake", ["--version"]], ["c++", ["--version"]]]) {
  if (spawnSync(tool, args, { stdio: "ignore" }).status !== 0) {
    console.error(`build-llama-server needs ${tool} (on Debian/Ubuntu: apt-get install git cmake g++).`);
    process.exit(1);
  }
}

const started = Date.now();
const work = mkdtempSync(join(process.env.FREEHOLD_LLAMA_SERVER_WORK || tmpdir(), "freehold-llama-server-"));
const step = (command, args, cwd = work) => {
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    console.error(`build-llama-server: ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}); work folder kept: ${work}`);
    process.exit(1);
  }
};
const generator = spawnSync("ninja", ["--version"], { stdio: "ignore" }).status === 0 ? ["-G", "Ninja"] : [];
console.error(`build-llama-server: llama.cpp ${tag} from ${join(llamaDir, "gitRelease.bundle")} in ${work}`);
step("git", ["clone", "--quiet", join(llamaDir, "gitRelease.bundle"), "src"]);
step("cmake", [
  "-S", "src", "-B", "build", ...generator,
  "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF", "-DGGML_NATIVE=ON", "-DGGML_OPENMP=OFF",
  "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
  "-DLLAMA_BUILD_TOOLS=ON", "-DLLAMA_BUILD_SERVER=ON",
]);
step("cmake", ["--build", "build", "--config", "Release", "-j", String(Number(process.env.FREEHOLD_BUILD_JOBS) || 2), "--target", "llama-server"]);
const built = join(work, "build", "bin", "llama-server");
mkdirSync(dirname(target), { recursive: true });
copyFileSync(built, `${target}.partial`);
chmodSync(`${target}.partial`, 0o755);
renameSync(`${target}.partial`, target);
rmSync(work, { recursive: true, force: true });
console.error(`build-llama-server: built in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(target);
