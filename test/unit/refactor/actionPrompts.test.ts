import { test } from "node:test";
import assert from "node:assert/strict";
import { buildActionPrompt, fence, formatDiagnostics, SYSTEM_PROMPT } from "../../../src/refactor/actionPrompts";
import { docStyleFor } from "../../../src/refactor/docStyle";
import { jsFrameworkFromPackageJson, testConventionFor } from "../../../src/refactor/testFiles";
import type { CodeSelection, DiagnosticInfo } from "../../../src/refactor/types";

const ts: CodeSelection = {
  languageId: "typescript",
  file: "src/math.ts",
  text: "export function add(a: number, b: number) {\n  return a + b;\n}\n",
  startLine: 4,
  endLine: 6,
};
const py: CodeSelection = { languageId: "python", file: "calc.py", text: "def add(a, b):\n    return a + b\n", startLine: 0, endLine: 1 };

test("Refactor quotes the code with its file and 1-based lines and asks for one fenced block", () => {
  const prompt = buildActionPrompt("refactor", { selection: ts });
  assert.equal(prompt.system, SYSTEM_PROMPT);
  assert.equal(
    prompt.message,
    "Refactor this typescript code to make it clearer and simpler without changing what it does.\n\n" +
      "src/math.ts (lines 5-7):\n```typescript\nexport function add(a: number, b: number) {\n  return a + b;\n}\n```\n\n" +
      "Reply with only the complete replacement code in one ```typescript fenced code block: no explanation before or after it. Keep the code's behaviour, names and indentation unless asked otherwise.",
  );
});

test("Fix carries each diagnostic's message, severity, code, source and position", () => {
  const diagnostic: DiagnosticInfo = { message: "Type 'string' is not assignable to type 'number'.", severity: "error", startLine: 5, startCharacter: 9, endLine: 5, endCharacter: 14, source: "ts", code: "2322" };
  const prompt = buildActionPrompt("fix", { selection: ts, diagnostics: [diagnostic] });
  assert.match(prompt.message, /^Fix this typescript code\. It has these problems:\nline 6, column 10: error 2322 \(ts\): Type 'string' is not assignable to type 'number'\.\n\nsrc\/math\.ts \(lines 5-7\):/);
  assert.equal(formatDiagnostics([{ ...diagnostic, code: undefined, source: undefined, severity: "warning" }]), "line 6, column 10: warning: Type 'string' is not assignable to type 'number'.");
});

test("Add documentation names the language's own doc style", () => {
  assert.match(buildActionPrompt("document", { selection: ts }).message, /in the JSDoc style\. Write a JSDoc block comment \(\/\*\* \.\.\. \*\/\)/);
  assert.match(buildActionPrompt("document", { selection: py }).message, /in the Python docstring style\. Write a PEP 257 docstring \("""/);
  assert.match(buildActionPrompt("document", { selection: { ...py, languageId: "go" } }).message, /Go doc comment style.*starting with the declared name/);
  assert.match(buildActionPrompt("document", { selection: { ...py, languageId: "rust" } }).message, /Rust doc comment style.*\/\/\/ lines/);
  assert.equal(docStyleFor("cobol").name, "doc comment");
});

test("Explain asks for Markdown and includes the user's extra instructions", () => {
  const prompt = buildActionPrompt("explain", { selection: py, instructions: "  focus on types " });
  assert.match(prompt.message, /^Explain what this python code does.*Answer in Markdown\.\n\ncalc\.py \(lines 1-2\):\n```python\ndef add/s);
  assert.ok(prompt.message.endsWith("\n\nAlso: focus on types"));
});

test("Generate tests names the framework and where to import from", () => {
  const prompt = buildActionPrompt("tests", { selection: ts, testFramework: "vitest" });
  assert.match(prompt.message, /^Write unit tests for this typescript code using vitest\..*Import the code from src\/math\.ts\./s);
});

test("a fence is longer than any fence inside the quoted code", () => {
  assert.equal(fence("a\n```js\nb\n```\n", "md"), "````md\na\n```js\nb\n```\n````");
  assert.equal(fence("x"), "```\nx\n```");
});

test("test files follow each language's convention", () => {
  assert.deepEqual(testConventionFor("/w/src/math.ts", "typescript"), { path: "/w/src/math.test.ts", framework: "node:test with node:assert/strict" });
  assert.equal(testConventionFor("/w/calc.py", "python").path, "/w/test_calc.py");
  assert.equal(testConventionFor("/w/util/strings.go", "go").path, "/w/util/strings_test.go");
  assert.equal(testConventionFor("/w/Prices.java", "java").path, "/w/PricesTest.java");
  assert.equal(testConventionFor("/w/src/lib.rs", "rust").path, undefined, "Rust tests live in the source file");
  assert.equal(testConventionFor("/w/a.ts", "typescript", "jest").framework, "jest");
  assert.equal(jsFrameworkFromPackageJson('{"devDependencies":{"typescript":"5","vitest":"2"}}'), "vitest");
  assert.equal(jsFrameworkFromPackageJson("{not json"), undefined);
  assert.equal(jsFrameworkFromPackageJson("{}"), undefined);
});
