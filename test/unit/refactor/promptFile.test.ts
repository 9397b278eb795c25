import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCustomPrompt } from "../../../src/refactor/customPrompt";
import { SYSTEM_PROMPT } from "../../../src/refactor/actionPrompts";
import { parsePromptFile, promptAppliesTo, promptSlug, renderPrompt } from "../../../src/refactor/promptFile";

const GOOD = `---
title: Add logging
description: Log each function's arguments
languages: typescript, javascript
mode: rewrite
---

Add a debug log line to each function in {{file}} ({{ language }}):
{{selection}}
Problems: {{diagnostics}}
`;

test("parses the header and the body with its variables", () => {
  const { prompt, problems } = parsePromptFile(GOOD);
  assert.deepEqual(problems, []);
  assert.ok(prompt);
  assert.equal(prompt.title, "Add logging");
  assert.equal(prompt.description, "Log each function's arguments");
  assert.deepEqual(prompt.languages, ["typescript", "javascript"]);
  assert.equal(prompt.mode, "rewrite");
  assert.equal(prompt.bodyLine, 7);
  assert.equal(prompt.body, "Add a debug log line to each function in {{file}} ({{ language }}):\n{{selection}}\nProblems: {{diagnostics}}");
  assert.deepEqual(prompt.variables, ["file", "language", "selection", "diagnostics"]);
  assert.equal(promptAppliesTo(prompt, "typescript"), true);
  assert.equal(promptAppliesTo(prompt, "python"), false);
});

test("defaults: mode rewrite, every language (also with *), no description; CRLF and comments in the header", () => {
  const { prompt } = parsePromptFile("---\r\n# a comment\r\ntitle: T\r\nlanguages: *\r\n---\r\nBody");
  assert.ok(prompt);
  assert.equal(prompt.mode, "rewrite");
  assert.equal(prompt.languages, undefined);
  assert.equal(prompt.description, undefined);
  assert.equal(prompt.body, "Body");
  assert.equal(parsePromptFile("---\ntitle: Ask\nmode: chat\n---\nWhy {{selection}}?").prompt?.mode, "chat");
});

test("reports a broken header with the line and the range of the problem", () => {
  const text = "---\ntitle: T\nmode: rewrtie\ncolour: blue\nthis is not a key\ntitle: again\n---\nBody {{selecton}}\n";
  const { prompt, problems } = parsePromptFile(text);
  assert.equal(prompt, undefined);
  assert.deepEqual(
    problems.map((p) => [p.line, p.startCharacter, p.endCharacter, p.message.split(";")[0].split(",")[0]]),
    [
      [2, 6, 13, "`mode` is `rewrite` or `chat`"],
      [3, 0, 6, "Unknown header key `colour`"],
      [4, 0, 17, "Expected `key: value` in the header."],
      [5, 0, 5, "`title` is given twice (first on line 2)."],
      [7, 5, 17, "Unknown variable `{{selecton}}`"],
    ],
  );
});

test("a file without a header, an unclosed header, no title or no body is reported", () => {
  assert.equal(parsePromptFile("Just a prompt {{selection}}").problems[0].line, 0);
  assert.match(parsePromptFile("---\ntitle: x\nBody").problems[0].message, /not closed/);
  assert.match(parsePromptFile("---\nmode: chat\n---\nBody").problems[0].message, /no `title:`/);
  assert.match(parsePromptFile("---\ntitle:\n---\nBody").problems[0].message, /empty/);
  const noBody = parsePromptFile("---\ntitle: x\n---\n\n  \n");
  assert.equal(noBody.problems[0].line, 2);
  assert.match(noBody.problems[0].message, /no body/);
  assert.match(parsePromptFile("---\ntitle: x\nlanguages: type script\n---\nb").problems[0].message, /comma-separated/);
});

test("renders variables, missing values as empty, and leaves unknown ones alone", () => {
  assert.equal(renderPrompt("{{selection}} in {{ file }} / {{input}} / {{nope}}", { selection: "x()", file: "a.ts" }), "x() in a.ts /  / {{nope}}");
  assert.equal(renderPrompt("{{selection}}", { selection: "$& $1 {{file}}" }), "$& $1 {{file}}", "values are inserted literally, not re-expanded");
});

test("a prompt file's model prompt is its rendered body, verbatim", () => {
  const { prompt } = parsePromptFile(GOOD);
  assert.ok(prompt);
  const built = buildCustomPrompt(prompt, { file: "src/a.ts", language: "typescript", selection: "f();", diagnostics: "" });
  assert.equal(built.message, "Add a debug log line to each function in src/a.ts (typescript):\nf();\nProblems: ");
  assert.ok(built.system.startsWith(SYSTEM_PROMPT) && built.system.includes("fenced code block"));
  const chat = parsePromptFile("---\ntitle: Ask\nmode: chat\n---\nq").prompt!;
  assert.equal(buildCustomPrompt(chat, {}).system, SYSTEM_PROMPT);
});

test("slugs are command-id safe", () => {
  assert.equal(promptSlug("Add Logging!.prompt"), "add-logging");
  assert.equal(promptSlug("...prompt"), "prompt");
});
