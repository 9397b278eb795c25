// Links from chat answers: web addresses need a confirmation until their domain is trusted for the session;
// file links resolve symbolic links and stay inside the workspace.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LinkConsent, linkDomain } from "../../../src/chat/linkConsent";
import { classifyLink, resolveFileLink } from "../../../src/chat/linkTarget";

test("every address needs a confirmation until its domain is trusted; trust covers that scheme, host and port only", () => {
  const consent = new LinkConsent();
  const url = "https://docs.example.com/page?q=1";
  assert.equal(consent.needsConfirmation(url), true);
  assert.equal(consent.needsConfirmation(url), true, "asking is not trusting");
  consent.trustForSession(url);
  assert.equal(consent.needsConfirmation("https://docs.example.com/other#x"), false);
  for (const other of ["http://docs.example.com/page", "https://docs.example.com:8443/", "https://example.com/", "https://evil.docs.example.com/", "https://docs.example.com.evil.test/"]) {
    assert.equal(consent.needsConfirmation(other), true, other);
  }
  assert.equal(linkDomain("HTTPS://Docs.Example.com/a"), "https://docs.example.com");
  assert.equal(new LinkConsent().needsConfirmation(url), true, "nothing is remembered beyond the session's object");
});

let root: string;
let ws: string;

before(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "freehold-links-")));
  ws = join(root, "ws");
  await mkdir(join(ws, "src"), { recursive: true });
  await mkdir(join(root, "outside"));
  await writeFile(join(root, "outside", "secret.txt"), "secret\n");
  await writeFile(join(ws, "src", "a.ts"), "export const a = 1;\n");
  await symlink(join(root, "outside"), join(ws, "linked"));
  await symlink(join(root, "outside", "secret.txt"), join(ws, "secret-link.txt"));
  await symlink(join(ws, "src", "a.ts"), join(ws, "alias.ts"));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test("a file link through a symbolic link out of the workspace is outside; one inside stays usable", async () => {
  for (const href of ["linked/secret.txt", "secret-link.txt"]) {
    const target = classifyLink(href, [ws]);
    assert.equal(target.kind, "file", "lexically it looks inside");
    assert.deepEqual(await resolveFileLink((target as { path: string }).path, [ws]), { kind: "outside" }, href);
  }
  assert.deepEqual(await resolveFileLink(join(ws, "src", "a.ts"), [ws]), { kind: "inside", path: join(ws, "src", "a.ts") });
  assert.deepEqual(await resolveFileLink(join(ws, "alias.ts"), [ws]), { kind: "inside", path: join(ws, "src", "a.ts") });
  assert.deepEqual(await resolveFileLink(join(ws, "nope.ts"), [ws]), { kind: "missing" });
});
