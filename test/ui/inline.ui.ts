// Inline completions in the real editor: ghost text from the tiny model through the whole pipeline, typing
// through it without a model call, Tab accepting it into the document.
import * as assert from "node:assert/strict";
import { GHOST_TEXT_SETTINGS, modelSettings, withWorkbench, type UiTest } from "./harness";

const SOURCE = `import { readFile } from "node:fs/promises";

export async function loadConfig(path: string) {
  const text = await readFile(path, "utf8");
  return JSON.parse(text);
}

`;

function workerCompletions(log: string[]): number {
  const counts = log.map((line) => /\[worker completions: (\d+)\]/.exec(line)?.[1]).filter((n): n is string => n !== undefined);
  return counts.length ? Number(counts.at(-1)) : 0;
}

export const tests: UiTest[] = [
  {
    name: "typing shows ghost text from the model; typing through it makes no model call; Tab accepts it",
    async run({ modelPath }) {
      const settings = { ...modelSettings(modelPath), ...GHOST_TEXT_SETTINGS };
      await withWorkbench({ name: "inline", settings, files: { "src/config.ts": SOURCE } }, async (wb) => {
        const page = wb.page;
        /** Freehold's log from the line the test is about on (after the model is loaded). */
        let logStart = 0;
        const logSince = () => wb.freeholdLog().slice(logStart);
        let ghost = await wb.step("ghost-shown", async () => {
          await wb.openFile("src/config.ts");
          await page.keyboard.press("Control+End");
          // On `= ` the suggest widget would otherwise open with `loadConfig` selected while the model loads.
          logStart = await wb.loadModelOnCommentLine();
          await page.keyboard.type("const settings = ", { delay: 60 });
          await wb.waitFor(async () => (await wb.ghostText()).trim().length > 0, 60_000, "ghost text appears");
          // Shown while it streams, the suggestion's model call is logged when generation ends.
          await wb.waitFor(async () => logSince().some((l) => /\[completion\] model call #\d+/.test(l)), 60_000, "the suggestion came from a model call");
          return wb.ghostText();
        });

        await wb.step("typed-through", async () => {
          // The shown suggestion starts a speculative prefetch of the next one, and a cold start evaluates the full
          // context behind a short prompt's answer; let them finish (they are worker requests of their own), then
          // type the suggestion's first character.
          await wb.waitFor(
            async () => {
              const log = logSince();
              const coldStart = log.some((l) => l.includes("cold start in"));
              return log.some((l) => l.includes("prefetched the next suggestion")) && (!coldStart || log.some((l) => l.includes("full context evaluated in the background")));
            },
            120_000,
            "the speculative prefetch (and a cold start's background evaluation) finish",
          );
          // Shown while it streamed, the suggestion has grown to its whole text by now; it grows, never changes.
          const whole = await wb.ghostText();
          assert.ok(whole.startsWith(ghost), `the whole suggestion ${JSON.stringify(whole)} starts with what was first shown ${JSON.stringify(ghost)}`);
          ghost = whole;
          const before = workerCompletions(wb.freeholdLog());
          const first = ghost[0];
          await page.keyboard.type(first);
          await page.waitForTimeout(1200);
          const rest = await wb.ghostText();
          assert.ok(rest.length > 0 && ghost.slice(1).startsWith(rest.trimEnd()), `still shown after typing ${JSON.stringify(first)}: ${JSON.stringify(rest)} (was ${JSON.stringify(ghost)})`);
          assert.equal(workerCompletions(wb.freeholdLog()), before, "typing through asked the worker for nothing");
        });

        await wb.step("accepted", async () => {
          // The file on disk is compared, not the editor's lines: once accepted, the speculative prefetch may show the
          // next suggestion as ghost text on the same line at once.
          const expected = `const settings = ${ghost}`.trimEnd();
          let last = "";
          await page.keyboard.press("Tab");
          await wb.waitFor(
            async () => (last = (await wb.savedText("src/config.ts")).trimEnd().split("\n").at(-1)!.trimEnd()) === expected,
            10_000,
            async () => `Tab inserted the whole suggestion (the last line is ${JSON.stringify(last)}, expected ${JSON.stringify(expected)})`,
          );
        });
      });
    },
  },
];
