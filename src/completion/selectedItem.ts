// Ghost text beside VS Code's suggest widget (as Copilot does it): while the widget shows a selected item,
// complete as if that item were already inserted, and offer the item's text plus the completion over the
// item's range, so the ghost text extends the selection instead of being hidden by it.
import type { DocumentPosition } from "./pipeline";

/** The suggest widget's selected item: the document range it replaces and the text it inserts. */
export interface SelectedItem {
  startOffset: number;
  endOffset: number;
  text: string;
}

/**
 * The position as if the selected item were inserted: the cursor right after the item's text. Without the
 * editor's version, which is of the text without the item (a kept syntax tree must not take one for the other).
 */
export function withSelectedItem(position: DocumentPosition, item: SelectedItem): DocumentPosition {
  const start = Math.max(0, Math.min(item.startOffset, position.text.length));
  const end = Math.max(start, Math.min(item.endOffset, position.text.length));
  return { ...position, text: position.text.slice(0, start) + item.text + position.text.slice(end), offset: start + item.text.length, version: undefined };
}

/** The text to insert over the item's range: the item, then the completion (nothing when the completion is empty). */
export function extendSelectedItem(item: SelectedItem, completion: string): string | undefined {
  return completion.length > 0 ? item.text + completion : undefined;
}
