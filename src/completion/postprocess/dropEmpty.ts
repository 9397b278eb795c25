import type { Filter } from "./types";

/** Drops whitespace-only results and trailing whitespace. */
export const dropEmpty: Filter = (candidate) => {
  const text = candidate.text.replace(/[ \t]+$/gm, "").replace(/\n+$/, "");
  if (text.trim() === "") return undefined;
  return { ...candidate, text };
};
