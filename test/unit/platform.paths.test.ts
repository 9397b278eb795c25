// Path rules of Windows, macOS and Linux, tested here with path.win32 / path.posix: model store locations,
// store names, workspace-relative paths (separators, drive letters, case), prompt folders, test file names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { posix, win32 } from "node:path";
import { defaultStoreLocations } from "../../src/models/locations";
import { storeName } from "../../src/models/discovery";
import { caseInsensitiveFileSystem, expandHome, isInsideFolder, pathRulesFor, resolveInside, workspaceRelativePath } from "../../src/platform/paths";
import { testConventionFor } from "../../src/refactor/testFiles";

const kindsAndPaths = (locations: { kind: string; path: string }[]) => locations.map((l) => `${l.kind} ${l.path}`);

test("model stores on Windows: %USERPROFILE% folders with backslashes, OLLAMA_MODELS first", () => {
  const env = { USERPROFILE: "C:\\Users\\Ada", OLLAMA_MODELS: "D:\\ollama\\models" };
  assert.deepEqual(kindsAndPaths(defaultStoreLocations({ home: "C:\\Users\\Default", env, platform: "win32" })), [
    "huggingface C:\\Users\\Ada\\.cache\\huggingface\\hub",
    "lmstudio C:\\Users\\Ada\\.lmstudio\\models",
    "lmstudio C:\\Users\\Ada\\.cache\\lm-studio\\models",
    "ollama D:\\ollama\\models",
    "ollama C:\\Users\\Ada\\.ollama\\models",
    "node-llama-cpp C:\\Users\\Ada\\.node-llama-cpp\\models",
  ]);
  // Without USERPROFILE the home folder given (os.homedir()) is used.
  const plain = defaultStoreLocations({ home: "C:\\Users\\Bob", env: {}, platform: "win32" });
  assert.equal(plain.find((l) => l.kind === "ollama")?.path, "C:\\Users\\Bob\\.ollama\\models");
  assert.ok(plain.every((l) => win32.isAbsolute(l.path) && !l.path.includes("/")), "Windows paths only");
});

test("model stores on macOS: the home folder's stores, no Linux service folder", () => {
  assert.deepEqual(kindsAndPaths(defaultStoreLocations({ home: "/Users/ada", env: {}, platform: "darwin" })), [
    "huggingface /Users/ada/.cache/huggingface/hub",
    "lmstudio /Users/ada/.lmstudio/models",
    "lmstudio /Users/ada/.cache/lm-studio/models",
    "ollama /Users/ada/.ollama/models",
    "node-llama-cpp /Users/ada/.node-llama-cpp/models",
  ]);
});

test("model stores on Linux: XDG cache, HF_HOME, and the Ollama service's folder", () => {
  const locations = defaultStoreLocations({ home: "/home/ada", env: { XDG_CACHE_HOME: "/var/cache/ada" }, platform: "linux" });
  assert.deepEqual(kindsAndPaths(locations), [
    "huggingface /var/cache/ada/huggingface/hub",
    "lmstudio /home/ada/.lmstudio/models",
    "lmstudio /home/ada/.cache/lm-studio/models",
    "ollama /home/ada/.ollama/models",
    "ollama /usr/share/ollama/.ollama/models",
    "node-llama-cpp /home/ada/.node-llama-cpp/models",
  ]);
  const hfHome = defaultStoreLocations({ home: "/home/ada", env: { HF_HOME: "/data/hf" }, platform: "linux" });
  assert.equal(hfHome[0].path, "/data/hf/hub");
});

test("store names follow each store's convention with Windows separators too", () => {
  const hub = { kind: "huggingface" as const, path: "C:\\Users\\Ada\\.cache\\huggingface\\hub" };
  const file = "C:\\Users\\Ada\\.cache\\huggingface\\hub\\models--Qwen--Coder-GGUF\\snapshots\\abc\\q8\\coder.gguf";
  assert.equal(storeName(hub, file, win32), "Qwen/Coder-GGUF/q8/coder.gguf");
  const lmstudio = { kind: "lmstudio" as const, path: "C:\\Users\\Ada\\.lmstudio\\models" };
  assert.equal(storeName(lmstudio, "C:\\Users\\Ada\\.lmstudio\\models\\pub\\Repo-GGUF\\model.gguf", win32), "pub/Repo-GGUF/model.gguf");
  assert.equal(storeName({ kind: "user", path: "/m" }, "/m/deep/x.gguf", posix), "x.gguf");
});

test("workspace-relative paths: forward slashes, drive letters and case on Windows", () => {
  assert.equal(workspaceRelativePath("C:\\Repo", "C:\\Repo\\src\\util\\a.ts", win32), "src/util/a.ts");
  assert.equal(workspaceRelativePath("C:\\Repo", "c:\\repo\\SRC\\a.ts", win32), "SRC/a.ts", "Windows paths compare without case");
  assert.equal(workspaceRelativePath("C:\\Repo", "D:\\Repo\\a.ts", win32), undefined, "another drive is outside");
  assert.equal(workspaceRelativePath("C:\\Repo", "C:\\Other\\a.ts", win32), undefined);
  assert.equal(workspaceRelativePath("C:\\Repo", "C:\\Repo..x\\a.ts", win32), undefined);
  assert.equal(workspaceRelativePath("/home/ada/repo", "/home/ada/repo/src/a.ts", posix), "src/a.ts");
  assert.equal(workspaceRelativePath("/home/ada/repo", "/home/ada/Repo/src/a.ts", posix), undefined, "POSIX paths keep their case");
  assert.equal(workspaceRelativePath("/repo", "/repo/..hidden/a.ts", posix), "..hidden/a.ts", "a folder named ..x is inside");
});

test("a workspace-relative path resolves inside the root, never outside it", () => {
  assert.equal(resolveInside("C:\\Repo", "src/a.ts", win32), "C:\\Repo\\src\\a.ts");
  assert.equal(resolveInside("C:\\Repo", "src\\a.ts", win32), "C:\\Repo\\src\\a.ts");
  assert.equal(resolveInside("C:\\Repo", "../secret.txt", win32), undefined);
  assert.equal(resolveInside("C:\\Repo", "D:\\secret.txt", win32), undefined, "a drive-letter path is not relative to the root");
  assert.equal(resolveInside("C:\\Repo", "\\\\server\\share\\x", win32), undefined, "nor a UNC path");
  assert.equal(resolveInside("/repo", "src/a.ts", posix), "/repo/src/a.ts");
  assert.equal(resolveInside("/repo", "/etc/passwd", posix), undefined);
  assert.equal(resolveInside("/repo", "a/../../b", posix), undefined);
});

test("prompt folders: inside, case-insensitive where the file system is", () => {
  assert.equal(caseInsensitiveFileSystem("win32"), true);
  assert.equal(caseInsensitiveFileSystem("darwin"), true);
  assert.equal(caseInsensitiveFileSystem("linux"), false);
  // VS Code URI paths: always "/" separated, Windows drives as "/c:/…" (the letter's case may differ).
  const folder = "/C:/Users/Ada/repo/.freehold/prompts";
  assert.equal(isInsideFolder(folder, "/c:/Users/ada/repo/.freehold/prompts/review.prompt", { path: posix, caseInsensitive: true }), true);
  assert.equal(isInsideFolder(folder, "/c:/Users/ada/repo/.freehold/prompts/review.prompt", { path: posix, caseInsensitive: false }), false);
  assert.equal(isInsideFolder("/Users/ada/Prompts", "/Users/ada/prompts/x.prompt", { path: posix, caseInsensitive: caseInsensitiveFileSystem("darwin") }), true);
  assert.equal(isInsideFolder("/home/ada/Prompts", "/home/ada/prompts/x.prompt", { path: posix, caseInsensitive: caseInsensitiveFileSystem("linux") }), false);
  assert.equal(isInsideFolder(folder, "/C:/Users/Ada/repo/.freehold/prompts2/x.prompt", { path: posix, caseInsensitive: true }), false, "a sibling with a longer name");
  assert.equal(isInsideFolder(folder, folder, { path: posix }), false, "the folder itself");
  assert.equal(isInsideFolder("C:\\Prompts", "c:\\prompts\\a.prompt", { path: win32, caseInsensitive: true }), true);
});

test("~ expands with the platform's separators; ~\\ only on Windows", () => {
  assert.equal(expandHome("~\\models\\a.gguf", "C:\\Users\\Ada", win32), "C:\\Users\\Ada\\models\\a.gguf");
  assert.equal(expandHome("~/models/a.gguf", "C:\\Users\\Ada", win32), "C:\\Users\\Ada\\models\\a.gguf");
  assert.equal(expandHome("~", "C:\\Users\\Ada", win32), "C:\\Users\\Ada");
  assert.equal(expandHome("~/models", "/home/ada", posix), "/home/ada/models");
  assert.equal(expandHome("~\\models", "/home/ada", posix), "~\\models", "a backslash is a file name character on POSIX");
  assert.equal(expandHome("~other/x", "/home/ada", posix), "~other/x");
  assert.equal(pathRulesFor("win32"), win32);
  assert.equal(pathRulesFor("darwin"), posix);
});

test("test files sit next to the source with the platform's separators", () => {
  assert.equal(testConventionFor("C:\\Repo\\src\\util.ts", "typescript", undefined, win32).path, "C:\\Repo\\src\\util.test.ts");
  assert.equal(testConventionFor("C:\\Repo\\pkg\\calc.py", "python", undefined, win32).path, "C:\\Repo\\pkg\\test_calc.py");
  assert.equal(testConventionFor("/Users/ada/repo/main.go", "go", undefined, posix).path, "/Users/ada/repo/main_test.go");
});
