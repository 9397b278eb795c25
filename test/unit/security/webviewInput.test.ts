// What Freehold's webviews send and show: every message from a webview is checked against its type (unknown,
// malformed, extra, inherited fields: dropped), and the setup panel's HTML is built with one escaping template,
// so text from settings, file names and error messages stays text; its CSP is as strict as the chat view's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkChatMessage, checkSetupMessage } from "../../../src/vscode/webviewMessages";
import { html, escapeHtml } from "../../../src/vscode/htmlTemplate";
import { setupBody, setupCsp, type SetupState } from "../../../src/vscode/models/setupPage";

test("well-formed chat messages pass unchanged", () => {
  for (const message of [
    { type: "ready", payload: {} },
    { type: "send", payload: { text: "hello" } },
    { type: "insert", payload: { code: "a\nb" } },
    { type: "openLink", payload: { href: "https://example.com" } },
    { type: "switchConversation", payload: { id: "c1" } },
  ]) {
    const checked = checkChatMessage(message);
    assert.ok(checked.ok, JSON.stringify(message));
    assert.deepEqual(checked.message, message);
  }
});

test("unknown, malformed, extra and inherited chat messages are dropped with a reason", () => {
  const inherited = Object.create({ text: "from the prototype" }) as object;
  const cases: Array<[unknown, RegExp]> = [
    [null, /not an object/],
    ["send", /not an object/],
    [[{ type: "send" }], /not an object/],
    [{ payload: {} }, /no type/],
    [{ type: "runCommand", payload: { id: "workbench.action.terminal.new" } }, /unknown type "runCommand"/],
    [{ type: "constructor", payload: {} }, /unknown type "constructor"/],
    [{ type: "toString", payload: {} }, /unknown type/],
    [{ type: "send" }, /send: not an object/],
    [{ type: "send", payload: {} }, /missing field text/],
    [{ type: "send", payload: { text: 42 } }, /field text is not a string/],
    [{ type: "openLink", payload: { href: { toString: "x" } } }, /href is not a string/],
    [{ type: "insert", payload: { code: "x", path: "/etc/passwd" } }, /unexpected field "path"/],
    [{ type: "apply", payload: { code: "x" }, target: "elsewhere" }, /unexpected field "target"/],
    [{ type: "send", payload: inherited }, /not an object|missing field text/],
    [{ type: "send", payload: { text: "x".repeat(5 * 1024 * 1024) } }, /too long/],
  ];
  for (const [raw, reason] of cases) {
    const checked = checkChatMessage(raw);
    assert.equal(checked.ok, false, JSON.stringify(raw)?.slice(0, 80));
    assert.match((checked as { error: string }).error, reason);
  }
});

test("setup view messages are checked the same way, roles included", () => {
  assert.deepEqual(checkSetupMessage({ type: "use", role: "chat", path: "/m/a.gguf" }), { ok: true, message: { type: "use", role: "chat", path: "/m/a.gguf" } });
  assert.ok(checkSetupMessage({ type: "refresh" }).ok);
  assert.ok(checkSetupMessage({ type: "same", value: false }).ok);
  for (const raw of [
    { type: "use", role: "admin", path: "/m/a.gguf" },
    { type: "use", role: "chat" },
    { type: "use", role: "chat", path: 1 },
    { type: "same", value: "yes" },
    { type: "download", role: "completion", id: "x", url: "http://evil" },
    { type: "delete", path: "/" },
    { type: "__proto__" },
  ]) {
    assert.equal(checkSetupMessage(raw).ok, false, JSON.stringify(raw));
  }
});

test("the escaping template escapes every interpolated value and nests fragments without double escaping", () => {
  const name = `<img src=x onerror="alert(1)">'\``;
  const fragment = html`<b>${name}</b>`;
  assert.equal(fragment.value, `<b>${escapeHtml(name)}</b>`);
  assert.equal(html`<p>${fragment}${[html`<i>1</i>`, "<2>"]}${undefined}${false}${0}</p>`.value, `<p>${fragment.value}<i>1</i>&lt;2&gt;0</p>`);
  assert.equal(html`<a title="${'" onmouseover="x'}">`.value, '<a title="&quot; onmouseover=&quot;x">');
});

const HOSTILE = `</p><img src=x onerror="alert(1)"><script>alert(2)</script><form action="https://evil.example"><button>`;

test("the setup page shows a scan error, model names and paths as text", () => {
  const state: SetupState = {
    scanning: false,
    scanError: `freehold models failed for ${HOSTILE}`,
    completionPath: "",
    chatPath: "",
    sameForBoth: false,
    downloading: HOSTILE,
    report: {
      hardware: { totalRamBytes: 8e9, freeRamBytes: 4e9, cpuCores: 2, gpu: { type: HOSTILE, freeVramBytes: 1e9 } },
      models: [
        { path: `/m/${HOSTILE}.gguf`, name: `${HOSTILE}.gguf`, source: HOSTILE, valid: true, sizeBytes: 1, facts: { architecture: HOSTILE, sizeLabel: "1B", quantization: "Q8_0", sizeBytes: 1, fim: true, chatTemplate: true }, fit: { level: "fits", reason: HOSTILE } },
        { path: "/m/bad.gguf", name: HOSTILE, source: "x", valid: false, reason: HOSTILE, sizeBytes: 1 },
      ],
      recommended: {},
    } as unknown as SetupState["report"],
  };
  const withoutReport = setupBody({ ...state, report: undefined }, "NONCE").value;
  const withReport = setupBody(state, "NONCE").value;
  for (const page of [withoutReport, withReport]) {
    assert.doesNotMatch(page, /<img|<form|<script>alert|onerror="/i, "no markup from the hostile text");
    assert.equal((page.match(/<script/g) ?? []).length, 1, "only the page's own script");
    assert.match(page, /<script nonce="NONCE">/);
  }
  assert.match(withoutReport, /freehold models failed for &lt;\/p&gt;&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
  assert.match(withReport, /data-path="\/m\/&lt;\/p&gt;&lt;img/);
});

test("the setup page's CSP is as strict as the chat view's: nothing but its own style and nonce script, no forms", () => {
  const csp = setupCsp("https://webview.example", "N");
  for (const directive of ["default-src 'none'", "form-action 'none'", "base-uri 'none'", "connect-src 'none'", "frame-src 'none'", "img-src 'none'", "script-src 'nonce-N'", "style-src https://webview.example"]) {
    assert.ok(csp.includes(directive), directive);
  }
});
