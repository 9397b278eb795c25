import type { Filter } from "./types";

// C0 controls other than tab and newline, DEL, and the replacement character of undecodable bytes.
const JUNK = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/u;

/** Cuts the result before a control character or an undecodable byte: never show those as code. */
export const cutAtControlCharacter: Filter = (candidate) => {
  const at = candidate.text.search(JUNK);
  if (at < 0) return candidate;
  const kept = candidate.text.slice(0, at);
  return kept.trim() ? { ...candidate, text: kept } : undefined;
};
