// How each language writes documentation, so "Add documentation" asks for the language's own convention.

export interface DocStyle {
  /** The convention's name, e.g. "JSDoc". */
  readonly name: string;
  /** One sentence telling the model where and how to write it. */
  readonly instruction: string;
}

const JSDOC: DocStyle = {
  name: "JSDoc",
  instruction: "Write a JSDoc block comment (/** ... */) directly above each function, class or exported declaration, with @param and @returns tags where they apply.",
};

const STYLES: Record<string, DocStyle> = {
  typescript: JSDOC,
  typescriptreact: JSDOC,
  javascript: JSDOC,
  javascriptreact: JSDOC,
  python: {
    name: "Python docstring",
    instruction: 'Write a PEP 257 docstring (""" ... """) as the first statement inside each function and class body, describing arguments, return value and raised exceptions.',
  },
  go: {
    name: "Go doc comment",
    instruction: "Write Go doc comments: // line comments directly above each declaration, starting with the declared name (e.g. // Add returns ...).",
  },
  rust: {
    name: "Rust doc comment",
    instruction: "Write Rust doc comments: /// lines directly above each item, with # Examples, # Errors or # Panics sections where they apply.",
  },
  java: { name: "Javadoc", instruction: "Write a Javadoc block comment (/** ... */) above each class and method, with @param, @return and @throws tags." },
  kotlin: { name: "KDoc", instruction: "Write a KDoc block comment (/** ... */) above each declaration, with @param and @return tags." },
  csharp: { name: "XML documentation comment", instruction: "Write /// XML documentation comments (<summary>, <param>, <returns>) above each member." },
  c: { name: "Doxygen comment", instruction: "Write a Doxygen block comment (/** ... */ with @brief, @param, @return) above each function." },
  cpp: { name: "Doxygen comment", instruction: "Write a Doxygen block comment (/** ... */ with @brief, @param, @return) above each function and class." },
  swift: { name: "Swift documentation comment", instruction: "Write /// documentation comments with - Parameters: and - Returns: above each declaration." },
  php: { name: "PHPDoc", instruction: "Write a PHPDoc block comment (/** ... */ with @param and @return) above each function and class." },
  ruby: { name: "YARD comment", instruction: "Write YARD # comments (with @param and @return) directly above each method and class." },
  lua: { name: "LuaLS annotation", instruction: "Write --- annotation comments (---@param, ---@return) directly above each function." },
  shellscript: { name: "shell comment", instruction: "Write # comments above each function describing its arguments, output and exit status." },
};

const GENERIC: DocStyle = { name: "doc comment", instruction: "Write documentation comments above each declaration in the usual style of the language." };

export function docStyleFor(languageId: string): DocStyle {
  return Object.hasOwn(STYLES, languageId) ? STYLES[languageId] : GENERIC;
}
