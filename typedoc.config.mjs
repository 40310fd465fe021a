// TypeDoc's configuration (`npm run docs`). A module rather than JSON because of markdownItLoader,
// which is a function.

/**
 * TypeDoc reads the text of a Markdown heading (for the page's table of contents and the heading's
 * anchor) from its text tokens only, so a heading's code spans vanished: "SoftOne — `softone-se`,
 * `softone-fi`" became "SoftOne — ," (TypeStrong/typedoc#3023 is the same slugger problem for
 * HTML). Giving each code span in a heading a text child makes TypeDoc read it; markdown-it renders
 * a code span from its content and ignores the child, so the heading itself is unchanged.
 * @param {import("markdown-it").default} parser
 */
function keepCodeSpansInHeadings(parser) {
  parser.core.ruler.push("sla-clock-heading-code-spans", (state) => {
    state.tokens.forEach((token, i) => {
      if (token.type !== "inline" || state.tokens[i - 1]?.type !== "heading_open") return;
      for (const child of token.children ?? []) {
        if (child.type !== "code_inline" || child.children) continue;
        const text = new state.Token("text", "", 0);
        text.content = child.content;
        child.children = [text];
      }
    });
  });
}

/** @type {Partial<import("typedoc").TypeDocOptions>} */
const config = {
  entryPoints: ["src/index.ts"],
  out: "docs/api",
  name: "sla-clock",
  readme: "README.md",
  projectDocuments: ["docs/*.md"],
  excludeInternal: true,
  excludePrivate: true,
  includeVersion: true,
  sort: ["kind", "instance-first", "alphabetical-ignoring-documents"],
  validation: {
    notExported: true,
    invalidLink: true,
    notDocumented: true,
  },
  requiredToBeDocumented: [
    "Enum",
    "EnumMember",
    "Variable",
    "Function",
    "Class",
    "Interface",
    "Method",
    "Accessor",
    "TypeAlias",
  ],
  treatValidationWarningsAsErrors: true,
  disableSources: true,
  markdownItLoader: keepCodeSpansInHeadings,
  // TypeDoc's default languages, plus SQL for docs/warehouse.md.
  highlightLanguages: [
    "bash",
    "console",
    "css",
    "html",
    "javascript",
    "json",
    "jsonc",
    "json5",
    "yaml",
    "tsx",
    "typescript",
    "sql",
  ],
};

export default config;
