// Import statements read by tree-sitter queries, and definitions extracted for prompts, per language.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { importsOf, type ImportRef } from "../../src/context/imports";
import { definitionsOf, type Definition } from "../../src/context/definitions";
import type { Parsers } from "../../src/context/parsers";
import { testParsers } from "../fixtures/context/fixtures";

let parsers: Parsers;
before(async () => {
  parsers = await testParsers();
});

async function imports(languageId: string, text: string): Promise<string[]> {
  const tree = (await parsers.parse(languageId, text))!;
  try {
    return importsOf(parsers, languageId, tree).map((r: ImportRef) => `${r.kind} ${r.local || "-"}=${r.imported} from ${r.specifier}${r.reexport ? " (re-export)" : ""}${r.member ? " (member)" : ""} @${r.line}`);
  } finally {
    tree.delete();
  }
}

async function definitions(languageId: string, text: string): Promise<Definition[]> {
  const tree = (await parsers.parse(languageId, text))!;
  try {
    return definitionsOf(tree, text);
  } finally {
    tree.delete();
  }
}

test("TypeScript/JavaScript imports: named, default, namespace, type-only, require, re-exports; package imports kept for the resolver to drop", async () => {
  const source = [
    'import a, { b as c, type d } from "./x";',
    'import * as ns from "./y";',
    'import "./side-effect";',
    'export { e, f as g } from "./z";',
    'export * from "./w";',
    'const m = require("./m");',
    'const { n, o: p } = require("./n");',
    'import q = require("./q");',
    'import fs from "node:fs";',
    "function later() { const late = require('./not-top-level'); }",
  ].join("\n");
  assert.deepEqual(await imports("typescript", source), [
    "default a=default from ./x @1",
    "named c=b from ./x @1",
    "named d=d from ./x @1",
    "namespace ns=* from ./y @2",
    "named e=e from ./z (re-export) @4",
    "named g=f from ./z (re-export) @4",
    "global -=* from ./w (re-export) @5",
    "namespace m=* from ./m @6",
    "named n=n from ./n @7",
    "named p=o from ./n @7",
    "namespace q=* from ./q @8",
    "default fs=default from node:fs @9",
  ]);
});

test("Python, Go, Rust, Java, C++ and Ruby imports", async () => {
  assert.deepEqual(await imports("python", "from . import mod\nfrom ..a.b import c as d, e\nimport x.y as z, w\nfrom m import *\ntry:\n    import fast\nexcept ImportError:\n    pass\n"), [
    "named mod=mod from . @1",
    "named d=c from ..a.b @2",
    "named e=e from ..a.b @2",
    "namespace z=* from x.y @3",
    "namespace w=* from w @3",
    "global -=* from m @4",
    "namespace fast=* from fast @6",
  ]);
  assert.deepEqual(await imports("go", 'package main\nimport (\n\t"fmt"\n\tu "example.com/m/util"\n\t_ "example.com/m/side"\n\t. "example.com/m/dot"\n\t"example.com/m/v2"\n)\n'), [
    "namespace fmt=* from fmt @3",
    "namespace u=* from example.com/m/util @4",
    "global -=* from example.com/m/dot @6",
    "namespace m=* from example.com/m/v2 @7",
  ]);
  assert.deepEqual(await imports("rust", "use crate::a::{b, c as d, e::f, self};\nuse super::x;\nuse crate::g::*;\nmod geo;\nmod inline { }\nuse serde;\n"), [
    "named b=b from crate::a @1",
    "named d=c from crate::a @1",
    "named f=f from crate::a::e @1",
    "named a=a from crate @1",
    "named x=x from super @2",
    "global -=* from crate::g @3",
    "namespace geo=* from self::geo @4",
  ]);
  assert.deepEqual(await imports("java", "package com.x;\nimport com.acme.Prices;\nimport static com.acme.Util.fmt;\nimport com.acme.model.*;\n"), [
    "named Prices=Prices from com.acme.Prices @2",
    "named fmt=fmt from com.acme.Util (member) @3",
    "package -=* from com.acme.model @4",
  ]);
  assert.deepEqual(await imports("cpp", '#include "a/b.h"\n#include <vector>\n#ifdef X\n#include "c.h"\n#endif\n'), ["global -=* from a/b.h @1", "global -=* from c.h @4"]);
  assert.deepEqual(await imports("ruby", 'require_relative "lib/x"\nrequire "json"\n'), ["global -=* from lib/x @1", "global -=* from json @2"]);
  assert.deepEqual(await imports("php", "<?php use A\\B;\n"), [], "languages without an import query give none");
});

test("TypeScript definitions: short functions whole, long ones as signatures, interfaces with their body, classes as member signatures", async () => {
  const long = Array.from({ length: 10 }, (_, i) => `  step${i}();`).join("\n");
  const source = [
    "/** Adds. */",
    "export function add(a: number, b: number): number {",
    "  return a + b;",
    "}",
    "",
    `export async function big(input: string[]): Promise<void> {\n${long}\n}`,
    "",
    "export const handler = (event: Event): void => {",
    long,
    "};",
    "",
    "export interface Shape {",
    "  area(): number;",
    "  name: string;",
    "}",
    "",
    "export type Id = string | number;",
    "export const LIMIT = 10;",
    "export default class Store {",
    "  private items = new Map<string, number>();",
    "  constructor(private readonly name: string) {}",
    "  get(key: string): number | undefined {",
    "    const value = this.items.get(key);",
    "    return value;",
    "  }",
    "  set(key: string, value: number): void {",
    "    this.items.set(key, value);",
    "    this.touch();",
    "  }",
    "  private touch(): void {",
    "    this.version++;",
    "    this.changed = true;",
    "  }",
    "}",
    "enum Color { Red, Green }",
  ].join("\n");
  const defs = await definitions("typescript", source);
  const by = Object.fromEntries(defs.map((d) => [d.name, d]));
  assert.deepEqual(defs.map((d) => `${d.name}:${d.kind}:${d.startLine}-${d.endLine}`), ["add:function:1-4", "big:function:6-17", "handler:function:19-30", "Shape:type:32-35", "Id:type:37-37", "LIMIT:constant:38-38", "Store:class:39-54", "Color:type:55-55"]);
  assert.equal(by.add.text, "/** Adds. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}");
  assert.equal(by.big.text, "export async function big(input: string[]): Promise<void> { … }");
  assert.equal(by.handler.text, "export const handler = (event: Event): void => { … }");
  assert.equal(by.Shape.text, "export interface Shape {\n  area(): number;\n  name: string;\n}");
  assert.equal(by.Store.isDefault, true);
  assert.equal(by.Store.text, [
    "export default class Store {",
    "  private items = new Map<string, number>();",
    "  constructor(private readonly name: string) {}",
    "  get(key: string): number | undefined { … }",
    "  set(key: string, value: number): void { … }",
    "  private touch(): void { … }",
    "}",
  ].join("\n"));
});

test("definitions in Python, Go, Rust and C", async () => {
  const py = await definitions("python", 'RATE = 0.2\n\n@cache\ndef f(a: int) -> int:\n    """Doc."""\n' + "    x = 1\n".repeat(10) + "    return a\n\nclass A(Base):\n    pass\n");
  assert.deepEqual(py.map((d) => `${d.name}:${d.kind}:${d.startLine}-${d.endLine}`), ["RATE:constant:1-1", "f:function:3-16", "A:class:18-19"]);
  assert.equal(py[1].text, '@cache\ndef f(a: int) -> int:\n    """Doc."""\n    ...');

  const go = await definitions("go", "package p\n\n// T is a thing.\ntype T struct {\n\tX int\n}\n\nfunc (t *T) Len() int { return t.X }\n\nvar (\n\tA = 1\n\tB = 2\n)\n");
  assert.deepEqual(go.map((d) => `${d.name}:${d.kind}:${d.container ?? ""}:${d.startLine}-${d.endLine}`), ["T:type::3-6", "Len:function:T:8-8", "A:constant::11-11", "B:constant::12-12"]);
  assert.equal(go[0].text, "// T is a thing.\ntype T struct {\n\tX int\n}");
  assert.equal(go[2].text, "var A = 1");

  const rust = await definitions("rust", "#[derive(Debug)]\npub struct P { x: i32 }\n\nimpl P {\n    pub fn new() -> Self { P { x: 0 } }\n}\n\npub const MAX: i32 = 3;\n");
  assert.deepEqual(rust.map((d) => `${d.name}:${d.kind}:${d.startLine}-${d.endLine}`), ["P:type:1-2", "P:impl:4-6", "MAX:constant:8-8"]);

  const c = await definitions("c", "#ifndef H\n#define H\ntypedef struct node { int v; } node_t;\nint push(node_t *n, int v);\nstatic inline int twice(int x) { return 2 * x; }\n#endif\n");
  assert.deepEqual(c.map((d) => `${d.name}:${d.kind}:${d.startLine}`), ["H:constant:2", "node_t:type:3", "node:type:3", "push:function:4", "twice:function:5"]);
});
