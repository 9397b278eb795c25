// The editor's context menu, as a user reaches Freehold's commands in it.
import type { Workbench } from "./harness";

/** Selects lines first..last (1-based, whole lines) and runs Freehold → `item` from the editor's context menu. */
export async function runFromContextMenu(wb: Workbench, first: number, last: number, item: string, clickText: string): Promise<void> {
  const page = wb.page;
  const runs = wb.freeholdLog().filter((l) => l.includes(`refactor: ${item} proposed`)).length;
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget input").waitFor({ state: "visible", timeout: 10_000 });
  await page.keyboard.type(String(first));
  await page.keyboard.press("Enter");
  await page.keyboard.press("Home");
  for (let i = first; i <= last; i++) await page.keyboard.press("Shift+ArrowDown");
  await page.locator(".editor-group-container.active .monaco-editor .view-line", { hasText: clickText }).first().click({ button: "right" });
  const menu = page.locator(".context-view .monaco-menu");
  await menu.waitFor({ state: "visible", timeout: 10_000 });
  await menu.locator(".action-item", { hasText: /^Freehold$/ }).first().hover();
  const entry = page.locator(".context-view .monaco-menu .action-item", { hasText: new RegExp(`^${item}$`) });
  await entry.first().waitFor({ state: "visible", timeout: 10_000 });
  await entry.first().click();
  // Under load a click on a submenu item is sometimes lost (the menu stays open with the item highlighted):
  // the highlighted item then runs with Enter.
  const closed = await menu.first().waitFor({ state: "hidden", timeout: 3_000 }).then(() => true, () => false);
  if (!closed) await page.keyboard.press("Enter");
  await page.locator(".monaco-diff-editor").first().waitFor({ state: "visible", timeout: 60_000 });
  await wb.waitFor(() => wb.freeholdLog().filter((l) => l.includes(`refactor: ${item} proposed`)).length > runs, 240_000, `the model finished the ${item} proposal`);
}
