// Renaming over a file another process holds open (Windows: EPERM/EBUSY/EACCES) is tried again; other errors
// are not. The last test makes a real EPERM with an immutable target (chattr, where the machine allows it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renameWithRetry } from "../../src/platform/renameWithRetry";

const failure = (code: string) => Object.assign(new Error(`${code}: operation failed`), { code });

test("EPERM, EBUSY and EACCES are tried again until the rename goes through", async () => {
  for (const code of ["EPERM", "EBUSY", "EACCES"]) {
    const calls: string[] = [];
    await renameWithRetry("a.tmp", "a", {
      firstDelayMs: 1,
      rename: async (from, to) => {
        calls.push(`${from}→${to}`);
        if (calls.length < 3) throw failure(code);
      },
    });
    assert.equal(calls.length, 3, `${code}: two failures, then success`);
  }
});

test("other errors fail at once, and a lock that stays gives up after the attempts with its error", async () => {
  const alwaysFailing = (code: string) => {
    const counter = { calls: 0, rename: async () => {
      counter.calls++;
      throw failure(code);
    } };
    return counter;
  };
  const missing = alwaysFailing("ENOENT");
  await assert.rejects(renameWithRetry("a.tmp", "a", { firstDelayMs: 1, rename: missing.rename }), /ENOENT/);
  assert.equal(missing.calls, 1);
  const held = alwaysFailing("EBUSY");
  await assert.rejects(renameWithRetry("a.tmp", "a", { attempts: 4, firstDelayMs: 1, rename: held.rename }), /EBUSY/);
  assert.equal(held.calls, 4);
});

test("a real EPERM: rename over an immutable file waits until the file is released", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "freehold-rename-"));
  const target = join(dir, "index.json");
  const temp = join(dir, "index.json.tmp");
  await writeFile(target, "old\n");
  await writeFile(temp, "new\n");
  try {
    if (spawnSync("chattr", ["+i", target]).status !== 0) return t.skip("chattr +i is not available here");
    await assert.rejects(rename(temp, target), { code: "EPERM" }, "the plain rename fails while the target is held");
    setTimeout(() => spawnSync("chattr", ["-i", target]), 150);
    await renameWithRetry(temp, target, { firstDelayMs: 20 });
    assert.equal(await readFile(target, "utf8"), "new\n");
  } finally {
    spawnSync("chattr", ["-i", target]);
    await rm(dir, { recursive: true, force: true });
  }
});
