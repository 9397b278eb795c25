// Prompt files are user text: a header key or {{variable}} named like an Object.prototype member
// (`toString`, `constructor`, `__proto__`) is an unknown name, never a lookup into the prototype.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePromptFile, renderPrompt } from "../../../src/refactor/promptFile";
import { docStyleFor } from "../../../src/refactor/docStyle";
import { jsFrameworkFromPackageJson } from "../../../src/refactor/testFiles";

const PROTOTYPE_NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__", "isPrototypeOf"];

for (const name of PROTOTYPE_NAMES) {
  test(`a header key \`${name}\` is reported as unknown, once, on its line`, () => {
    const parsed = parsePromptFile(`---\ntitle: T\n${name}: x\n---\nbody {{selection}}\n`);
    assert.equal(parsed.prompt, undefined);
    assert.equal(parsed.problems.length, 1, JSON.stringify(parsed.problems));
    assert.equal(parsed.problems[0].line, 2);
    // `__proto__` is not even key-shaped (keys start with a letter); either way it is no prototype lookup.
    assert.match(parsed.problems[0].message, /^[A-Za-z]/.test(name) ? new RegExp(`^Unknown header key \`${name}\``) : /^Expected `key: value`/);
    assert.doesNotMatch(parsed.problems[0].message, /NaN|given twice/);
  });

  test(`a body variable {{${name}}} is reported as unknown`, () => {
    const parsed = parsePromptFile(`---\ntitle: T\n---\nbody {{${name}}}\n`);
    assert.equal(parsed.prompt, undefined);
    assert.equal(parsed.problems.length, 1, JSON.stringify(parsed.problems));
    assert.match(parsed.problems[0].message, new RegExp(`^Unknown variable \`\\{\\{${name}\\}\\}\``));
  });

  test(`rendering leaves {{${name}}} as written instead of a prototype member`, () => {
    const rendered = renderPrompt(`a {{${name}}} b {{selection}}`, { selection: "S" });
    assert.equal(rendered, `a {{${name}}} b S`);
    assert.doesNotMatch(rendered, /function|\[object/);
  });

  test(`the documentation style of a language id \`${name}\` is the generic one`, () => {
    assert.equal(docStyleFor(name).name, "doc comment");
  });
}

test("a package.json dependency map is read through own properties only", () => {
  assert.equal(jsFrameworkFromPackageJson(JSON.stringify({ dependencies: { left: "1" } })), undefined);
  assert.equal(jsFrameworkFromPackageJson(JSON.stringify({ devDependencies: { jest: "29" } })), "jest");
});
