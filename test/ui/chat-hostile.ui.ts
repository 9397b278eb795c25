// Hostile model output in the real chat webview: a corpus of answers that try to run script (script tags,
// event-handler attributes, javascript:/data: links, SVG with script, markdown link tricks, entities, unclosed
// fences) or to make the page load something (images, frames, styles, refresh). The answers are put into the
// history through the test-only seed (FREEHOLD_TEST_CHAT_SEED) and rendered by the view's own renderer, finished
// and while streaming. Asserted in the webview: the canary global stays unset, no payload wrote to the console,
// no dangerous element or attribute exists, and no request left for anything but the VS Code server itself.
import * as assert from "node:assert/strict";
import type { Request } from "playwright-core";
import { ROOT, withWorkbench, type UiTest } from "./harness";
import { conversation, openChat, withChatSeed } from "./chatHelpers";

const CANARY = "__freeholdCanary";
const MARK = "FREEHOLD-PAYLOAD";
const EVIL = "canary.invalid";
const set = (n: number) => `window.${CANARY}=${n};console.log('${MARK} ${n}')`;

export const HOSTILE_OUTPUTS: string[] = [
  `<script>${set(1)}</script>`,
  `Text then <img src=x onerror="${set(2)}"> and <img src="http://${EVIL}/img.png">`,
  `[click me](javascript:${set(3)}) and [caps](JaVaScRiPt:${set(4)}) and [spaced]( javascript:${set(5)})`,
  `[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and [data js](data:text/javascript,${set(6)})`,
  `<svg><script>${set(7)}</script></svg> <svg onload="${set(8)}"><circle r="5"/></svg>`,
  `<math><mi xlink:href="javascript:${set(9)}">x</mi></math>`,
  `![image](http://${EVIL}/markdown-image.png) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=)`,
  `[tab](java&#x09;script:${set(10)}) [entity](&#106;avascript:${set(11)}) [angle](<javascript:${set(12)}>) <javascript:${set(13)}>`,
  `[ref link][r]\n\n[r]: javascript:${set(14)}`,
  `[title trick](https://example.com "x\\" onmouseover=\\"${set(15)}") [quote](https://example.com/" onmouseover="${set(16)})`,
  `&lt;script&gt;${set(17)}&lt;/script&gt; &#60;img src=x onerror=${set(18)}&#62; &amp;lt;b&amp;gt;`,
  `<iframe src="http://${EVIL}/frame"></iframe><object data="http://${EVIL}/obj"></object><embed src="http://${EVIL}/embed">`,
  `<style>body{background:url(http://${EVIL}/css-bg)}</style><link rel="stylesheet" href="http://${EVIL}/style.css"><meta http-equiv="refresh" content="0;url=http://${EVIL}/refresh">`,
  `<form action="http://${EVIL}/form"><button>go</button></form><a href="http://${EVIL}/a" onmouseover="${set(19)}">hover</a>`,
  `<details open ontoggle="${set(20)}">x</details><video src=x onerror="${set(21)}"></video><body onload="${set(22)}">`,
  "```\"><img src=x onerror=\"" + set(23) + "\">\ncode\n```",
  "```html\n<script>" + set(24) + "</script>\n<img src=x onerror=\"" + set(25) + "\">\n```",
  "```js\nconsole.log('not run');\n</code></pre><script>" + set(26) + "</script>\n```",
  "Unclosed fence:\n```html\n<script>" + set(27) + "</script>\n<img src=\"http://" + EVIL + "/unclosed.png\">",
  `<a href="vbscript:msgbox(1)">vb</a> [file](file:///etc/passwd) [cmd](command:workbench.action.terminal.new) [vsc](vscode://file/etc/passwd)`,
  `Linkified: http://${EVIL}/plain and www.${EVIL}/www`,
];

export const tests: UiTest[] = [
  {
    name: "chat: hostile model output renders harmless in the real webview (no script runs, no request leaves)",
    async run({ modelPath }) {
      const messages = HOSTILE_OUTPUTS.flatMap((text, i) => [
        { role: "user" as const, text: `payload ${i + 1}` },
        { role: "assistant" as const, text },
      ]);
      const seeded = conversation("hostile", "Hostile corpus", messages);
      const settings = { "freehold.completions.model": modelPath, "freehold.model.gpuLayers": 0, "freehold.model.contextSize": 1024, "freehold.chat.maxTokens": 48 };
      await withChatSeed([seeded], seeded.id, () =>
        withWorkbench({ name: "chat-hostile", settings, files: { "a.ts": "export const a = 1;\n" } }, async (wb) => {
          const requests: string[] = [];
          const onRequest = (request: Request) => requests.push(request.url());
          wb.page.on("request", onRequest);
          wb.page.context().on("request", onRequest);
          const chat = await wb.step("view-opens", () => openChat(wb));

          await wb.step("corpus-rendered", async () => {
            await wb.waitFor(async () => (await chat.locator(".message.assistant").count()) === HOSTILE_OUTPUTS.length, 60_000, `${HOSTILE_OUTPUTS.length} answers are shown`);
            // Touch everything a user might: hover and click every link and code block.
            const links = chat.locator("#log a");
            for (let i = 0; i < (await links.count()); i++) {
              const link = links.nth(i);
              const href = (await link.getAttribute("data-href")) ?? "";
              await link.hover();
              // External links would open the system browser through the host; only the rest are clicked here.
              if (!/^https?:/i.test(href)) await link.click();
            }
            await chat.locator("#log").hover();
          });

          await wb.step("nothing-ran", async () => {
            const report = await chat.locator("#log").evaluate((log, canary) => {
              const all = [...log.querySelectorAll("*")];
              return {
                canary: (window as unknown as Record<string, unknown>)[canary],
                dangerousElements: all.filter((e) => /^(script|iframe|object|embed|img|svg|math|style|link|meta|form|video|audio|details|base|input|textarea)$/i.test(e.tagName)).map((e) => e.outerHTML.slice(0, 120)),
                handlerAttributes: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
                hrefs: all.filter((e) => e.hasAttribute("href") || e.hasAttribute("src") || e.hasAttribute("action")).map((e) => e.outerHTML.slice(0, 120)),
                dataHrefs: all.map((e) => e.getAttribute("data-href")).filter((h): h is string => h !== null),
                textShown: log.textContent ?? "",
              };
            }, CANARY);
            assert.equal(report.canary, undefined, "the canary global was never set");
            assert.deepEqual(report.dangerousElements, [], "no active or loading element was created");
            assert.deepEqual(report.handlerAttributes, [], "no event-handler attribute survived");
            assert.deepEqual(report.hrefs, [], "nothing keeps an href/src/action (links go through the host)");
            for (const href of report.dataHrefs) assert.ok(/^https?:\/\//i.test(href) || !/^[a-z][a-z0-9+.-]*:/i.test(href.trim()), `link target kept: ${href}`);
            assert.ok(report.dataHrefs.some((h) => h.includes(EVIL)), "plain http links are still links (clicked through the host)");
            assert.ok(report.textShown.includes("<script>"), "markup is shown as text");
            assert.equal(wb.consoleLines.filter((l) => l.includes(MARK) && !l.includes("not run")).length, 0, `no payload wrote to the console: ${wb.consoleLines.filter((l) => l.includes(MARK)).join(" | ")}`);
          });

          await wb.step("no-request-left", async () => {
            const server = new URL(wb.server.url);
            const foreign = requests.filter((url) => {
              if (/^(data|blob|about|vscode-webview|vscode-resource):/i.test(url)) return false;
              try {
                const parsed = new URL(url);
                if (parsed.host === server.host) return false;
                // asWebviewUri addresses: VS Code's service worker answers them from the server, and only the
                // extension's own webview folder may be asked for.
                return !(parsed.host.endsWith(".vscode-resource.vscode-cdn.net") && decodeURIComponent(parsed.pathname).startsWith(`${ROOT}/dist/webview/`));
              } catch {
                return true;
              }
            });
            assert.deepEqual(foreign, [], "every request went to the VS Code server");
            assert.deepEqual(requests.filter((url) => url.includes(EVIL)), [], "no request to the payloads' host");
            assert.ok(requests.length > 0, "the request observer saw the page's own requests");
          });

          await wb.step("streaming-render-also-safe", async () => {
            // A live answer goes through the streaming path of the same renderer; the canary stays unset.
            await chat.locator("#input").fill("one more");
            await chat.locator("#input").press("Enter");
            await chat.locator(".message.assistant").nth(HOSTILE_OUTPUTS.length).waitFor({ timeout: 90_000 });
            await wb.waitFor(async () => (await chat.locator(".message.assistant.streaming").count()) === 0, 120_000, "the answer finishes");
            assert.equal(await chat.locator("#log").evaluate((_, canary) => (window as unknown as Record<string, unknown>)[canary], CANARY), undefined);
          });
          wb.page.off("request", onRequest);
        }),
      );
    },
  },
];
