// The trust list (src/config/restrictedSettings.ts) and the manifest agree: every restricted setting is in
// capabilities.untrustedWorkspaces.restrictedConfigurations, exists, and path settings are machine scoped so no
// workspace can set them. A model setting added later (a role's model path) fails here until it is listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { MACHINE_PATH_SETTINGS, RESOURCE_SETTINGS, RESTRICTED_SETTINGS } from "../../../src/config/restrictedSettings";

const manifest = JSON.parse(readFileSync(resolve("package.json"), "utf8")) as {
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string; type?: string; items?: { type?: string } }> } };
};
const properties = manifest.contributes.configuration.properties;

test("Restricted Mode is declared limited, with the restricted settings listed", () => {
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, "limited");
  assert.deepEqual([...(untrusted.restrictedConfigurations ?? [])].sort(), [...RESTRICTED_SETTINGS].sort());
});

test("every restricted setting exists in the manifest", () => {
  for (const key of RESTRICTED_SETTINGS) assert.ok(Object.hasOwn(properties, key), `${key} is not a contributed setting`);
});

test("model paths, search folders and download folders are machine or application scoped", () => {
  for (const key of MACHINE_PATH_SETTINGS) assert.ok(["machine", "application"].includes(properties[key]?.scope ?? ""), `${key} has scope ${properties[key]?.scope ?? "(window)"}`);
  for (const key of RESOURCE_SETTINGS) assert.ok(properties[key], key);
});

test("every setting that names a model file or a models folder is in the list", () => {
  // By name: a path, folder or model setting under freehold.model / freehold.chat / freehold.completions.
  const pathLike = Object.keys(properties).filter((key) => /\.(path|modelPath|model|searchPaths|downloadFolder|userFolder)$/.test(key));
  assert.ok(pathLike.length >= 4);
  for (const key of pathLike) assert.ok(RESTRICTED_SETTINGS.includes(key), `${key} names a file or folder but is not restricted`);
});
