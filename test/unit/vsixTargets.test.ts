// The packaging targets and the integrity the binary downloads are checked against.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lockfileIntegrity, matchesIntegrity, parseIntegrity, readLockfile } from "../../scripts/vsix/binaryCache.mjs";
import { ALL_TARGETS, binaryPackagesFor, parseTargets } from "../../scripts/vsix/targets.mjs";

test("--target: one, a list, all six, or this machine's; an unknown one is refused", () => {
  assert.deepEqual(parseTargets("all"), ["darwin-arm64", "darwin-x64", "win32-x64", "win32-arm64", "linux-x64", "linux-arm64"]);
  assert.deepEqual(parseTargets("linux-x64,darwin-arm64"), ["linux-x64", "darwin-arm64"]);
  assert.deepEqual(parseTargets(undefined, "win32-arm64"), ["win32-arm64"]);
  assert.throws(() => parseTargets("darwin-universal"), /Unknown target "darwin-universal"/);
  assert.throws(() => parseTargets(undefined, "freebsd-x64"), /Unknown target "freebsd-x64"/);
});

test("each target's binary packages; CUDA only when asked for", () => {
  assert.deepEqual(binaryPackagesFor("darwin-arm64"), ["@node-llama-cpp/mac-arm64-metal"]);
  assert.deepEqual(binaryPackagesFor("linux-x64"), ["@node-llama-cpp/linux-x64", "@node-llama-cpp/linux-x64-vulkan"]);
  assert.deepEqual(binaryPackagesFor("win32-x64", { withOptIn: true }), [
    "@node-llama-cpp/win-x64",
    "@node-llama-cpp/win-x64-vulkan",
    "@node-llama-cpp/win-x64-cuda",
    "@node-llama-cpp/win-x64-cuda-ext",
  ]);
  assert.deepEqual(binaryPackagesFor("win32-arm64", { withOptIn: true }), ["@node-llama-cpp/win-arm64"]);
});

test("the lockfile records the integrity of every binary package any target uses, at node-llama-cpp's version", () => {
  const lockfile = readLockfile(resolve("."));
  const version = (lockfile as { packages: Record<string, { version: string }> }).packages["node_modules/node-llama-cpp"].version;
  for (const target of ALL_TARGETS) {
    for (const name of binaryPackagesFor(target, { withOptIn: true })) {
      assert.match(lockfileIntegrity(lockfile, name, version) ?? "", /^sha512-/, `${name}@${version}`);
    }
  }
  assert.equal(lockfileIntegrity(lockfile, "@node-llama-cpp/linux-x64", "0.0.1"), undefined, "another version is not vouched for");
});

test("a file matches its sha512 integrity and nothing else", async () => {
  const dir = await mkdtemp(join(tmpdir(), "freehold-integrity-"));
  try {
    const file = join(dir, "package.tgz");
    await writeFile(file, "tarball bytes");
    const integrity = `sha512-${createHash("sha512").update("tarball bytes").digest("base64")}`;
    assert.equal(await matchesIntegrity(file, integrity), true);
    assert.equal(await matchesIntegrity(file, `sha512-${createHash("sha512").update("other").digest("base64")}`), false);
    assert.deepEqual(parseIntegrity(`sha1-abc ${integrity}`), ["sha512", integrity.slice(7)], "the strongest hash is used");
    assert.throws(() => parseIntegrity("md5-abc"), /Unsupported integrity/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
