// Where a language keeps the tests of a source file, and which framework to ask for.
import * as nodePath from "node:path";

export interface TestConvention {
  /** The conventional test file next to the source, or undefined when tests live inside the source (Rust). */
  readonly path: string | undefined;
  /** The framework named in the prompt. */
  readonly framework: string;
}

/** Test file and framework for a source file; `framework` overrides the guess (e.g. from package.json). */
export function testConventionFor(sourcePath: string, languageId: string, framework?: string, path: typeof nodePath.posix = nodePath): TestConvention {
  const { basename, dirname, extname, join } = path;
  const dir = dirname(sourcePath);
  const ext = extname(sourcePath);
  const stem = basename(sourcePath, ext);
  switch (languageId) {
    case "typescript":
    case "typescriptreact":
    case "javascript":
    case "javascriptreact":
      return { path: join(dir, `${stem}.test${ext}`), framework: framework ?? "node:test with node:assert/strict" };
    case "python":
      return { path: join(dir, `test_${stem}.py`), framework: framework ?? "pytest" };
    case "go":
      return { path: join(dir, `${stem}_test.go`), framework: framework ?? "the standard testing package" };
    case "rust":
      return { path: undefined, framework: framework ?? "a #[cfg(test)] mod tests module with #[test] functions" };
    case "java":
      return { path: join(dir, `${stem}Test.java`), framework: framework ?? "JUnit 5" };
    case "kotlin":
      return { path: join(dir, `${stem}Test.kt`), framework: framework ?? "JUnit 5" };
    case "csharp":
      return { path: join(dir, `${stem}Tests.cs`), framework: framework ?? "xUnit" };
    case "ruby":
      return { path: join(dir, `${stem}_spec.rb`), framework: framework ?? "RSpec" };
    case "php":
      return { path: join(dir, `${stem}Test.php`), framework: framework ?? "PHPUnit" };
    default:
      return { path: undefined, framework: framework ?? "the usual test framework of the language" };
  }
}

/** The JavaScript test framework a package.json uses, from its dependencies. */
export function jsFrameworkFromPackageJson(packageJson: string): string | undefined {
  let parsed: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  try {
    parsed = JSON.parse(packageJson) as typeof parsed;
  } catch {
    return undefined;
  }
  const deps = { ...parsed.dependencies, ...parsed.devDependencies };
  for (const name of ["vitest", "jest", "mocha", "ava"]) if (Object.hasOwn(deps, name)) return name;
  return undefined;
}
