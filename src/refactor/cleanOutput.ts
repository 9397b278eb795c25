// Turns a model's reply into code for the selection: the fenced block's content (or the reply minus the
// chatter around it), re-indented to where the selection sits. Works on a partial, still streaming reply.

const FENCE_LINE = /^\s*(`{3,}|~{3,})\s*([\w#+.-]*)\s*$/;
const PROSE_INTRO =
  /^\s*(sure|certainly|okay|ok|of course|absolutely|here(?:'s|’s| is| are)|below is|i(?:'ve| have)|the (?:refactored|fixed|updated|improved|documented|rewritten|corrected) |this is the)\b/i;
const PROSE_OUTRO = /^\s*(this (?:version|code|refactor|change|implementation)|these changes|note:?|i (?:have|made|changed|added|renamed)|the (?:changes|above|main)|explanation|in this|changes:)\b/i;

/** The code in a reply: the first fenced block (even if not closed yet), else the reply without chatter lines. */
export function extractCode(reply: string): string {
  const lines = reply.replace(/\r\n?/g, "\n").split("\n");
  const open = lines.findIndex((line) => FENCE_LINE.test(line));
  if (open >= 0) {
    const marker = FENCE_LINE.exec(lines[open])![1];
    const body: string[] = [];
    for (let i = open + 1; i < lines.length; i++) {
      const closing = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[i]);
      if (closing && closing[1][0] === marker[0] && closing[1].length >= marker.length) return body.join("\n");
      body.push(lines[i]);
    }
    // Still streaming: a last line that is only the start of the closing fence is not code.
    if (body.length && /^\s*[`~]{1,}$/.test(body[body.length - 1])) body.pop();
    return body.join("\n");
  }
  // A reply that so far is only the start of an opening fence.
  if (lines.length === 1 && /^\s*[`~]{1,2}$/.test(lines[0])) return "";
  let start = 0;
  while (start < lines.length && (lines[start].trim() === "" || isIntro(lines[start]))) start++;
  let end = lines.length;
  // A closing paragraph of prose after a blank line ("This version ...").
  for (let i = end - 1; i > start; i--) {
    if (lines[i - 1].trim() === "" && PROSE_OUTRO.test(lines[i])) {
      end = i - 1;
      break;
    }
  }
  return lines.slice(start, end).join("\n");
}

function isIntro(line: string): boolean {
  if (PROSE_INTRO.test(line)) return true;
  // "Refactored code:" — a short sentence ending in a colon, with no code punctuation in it.
  return /^\s*[A-Z][\w ,'’-]*:\s*$/.test(line) && !/[;{}()=<>[\]]/.test(line) && line.trim().split(/\s+/).length <= 8;
}

/** The whitespace every non-empty line of `text` starts with. */
export function commonIndent(text: string): string {
  let common: string | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined) common = indent;
    else {
      let i = 0;
      while (i < common.length && i < indent.length && common[i] === indent[i]) i++;
      common = common.slice(0, i);
    }
    if (common === "") break;
  }
  return common ?? "";
}

/** Moves `code` to the indentation of `original` (keeping its inner relative indentation) and matches its final newline. */
export function matchIndentation(code: string, original: string): string {
  const lines = code.split("\n");
  while (lines.length && lines[0].trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  const own = commonIndent(lines.join("\n"));
  const target = commonIndent(original);
  const moved = lines.map((line) => (line.trim() === "" ? "" : target + line.slice(own.length)));
  const text = moved.join("\n");
  return original.endsWith("\n") && text !== "" ? `${text}\n` : text;
}

/** The replacement for `original` in a (possibly partial) reply. */
export function cleanRewrite(reply: string, original: string): string {
  return matchIndentation(extractCode(reply), original);
}

/** A whole new file (generated tests) from a reply: the code, no chatter, one final newline. */
export function cleanNewFile(reply: string): string {
  const code = extractCode(reply).replace(/^\s*\n/, "").replace(/\s+$/, "");
  return code ? `${code}\n` : "";
}
