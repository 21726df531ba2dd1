// Markdown in and out: the body is stored as Markdown in internal/markup's
// dialect (CommonMark, GFM tables and strikethrough, figures, attributed
// quotes, embeds), and the editor's document is only ever a view of it.
// parseMarkdown and serializeMarkdown are inverse enough that the
// serialized Markdown renders to the same HTML as the Markdown it came
// from (see docs/editor.md and internal/admin's round-trip test).

import MarkdownIt from "markdown-it";
import { MarkdownParser, MarkdownSerializer, MarkdownSerializerState } from "prosemirror-markdown";
import { Fragment } from "prosemirror-model";
import { schema, minLevel } from "./schema.js";
import { embedProvider } from "./embeds.js";

// goldmark's dialect: CommonMark with GFM tables and strikethrough. HTML
// is recognised so that it can be dropped, as internal/markup drops it;
// read as text, it would be shown to readers.
const md = MarkdownIt("commonmark", { html: true }).enable(["table", "strikethrough"]);
// Every link is kept as written: internal/markup decides which addresses a
// page may link to (a javascript: link keeps only its words), and the
// editor shows the others without their address (schema.js).
md.validateLink = function () { return true; };

function listIsTight(tokens, i) {
  while (++i < tokens.length) {
    if (tokens[i].type !== "list_item_open") return tokens[i].hidden;
  }
  return false;
}

function cellAlign(tok) {
  const m = /text-align:\s*(left|right|center)/.exec(tok.attrGet("style") || "");
  return { align: m ? m[1] : null };
}

const parser = new MarkdownParser(schema, md, {
  blockquote: { block: "blockquote" },
  paragraph: { block: "paragraph" },
  list_item: { block: "list_item" },
  bullet_list: { block: "bullet_list", getAttrs(_, tokens, i) { return { tight: listIsTight(tokens, i) }; } },
  ordered_list: { block: "ordered_list", getAttrs(tok, tokens, i) { return { order: +tok.attrGet("start") || 1, tight: listIsTight(tokens, i) }; } },
  heading: { block: "heading", getAttrs(tok) { return { level: +tok.tag.slice(1) }; } },
  code_block: { block: "code_block", noCloseToken: true },
  fence: { block: "code_block", getAttrs(tok) { return { params: tok.info || "" }; }, noCloseToken: true },
  hr: { node: "horizontal_rule" },
  image: { node: "image", getAttrs(tok) {
    return { src: tok.attrGet("src"), title: tok.attrGet("title") || null, alt: inlineText(tok.children) };
  } },
  hardbreak: { node: "hard_break" },
  em: { mark: "em" },
  strong: { mark: "strong" },
  s: { mark: "strike" },
  link: { mark: "link", getAttrs(tok) { return { href: tok.attrGet("href"), title: tok.attrGet("title") || null }; } },
  code_inline: { mark: "code", noCloseToken: true },
  table: { block: "table" },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: "table_row" },
  th: { block: "table_header", getAttrs: cellAlign },
  td: { block: "table_cell", getAttrs: cellAlign },
  html_block: { ignore: true, noCloseToken: true },
  html_inline: { ignore: true, noCloseToken: true },
});

// inlineText is an image's alt text as goldmark takes it: the text of its
// inline children, markup left out.
function inlineText(children) {
  let s = "";
  for (const c of children || []) {
    if (c.type === "text" || c.type === "text_special" || c.type === "code_inline") s += c.content;
    else if (c.type === "softbreak" || c.type === "hardbreak") s += " ";
    else if (c.type === "image") s += inlineText(c.children);
  }
  return s;
}

// splitTitle reads "caption | credit" as internal/markup does: the credit
// follows the last " | ".
export function splitTitle(title) {
  if (!title) return { caption: "", credit: "" };
  const i = title.lastIndexOf(" | ");
  if (i < 0) return { caption: title.trim(), credit: "" };
  return { caption: title.slice(0, i).trim(), credit: title.slice(i + 3).trim() };
}

// newsBlocks rewrites a parsed document into the body's blocks, as
// internal/markup's transformer does: the top heading level made h2,
// paragraphs of one local image made figures, of one known provider's
// address made embeds, and a quote's last "— Name" paragraph its
// attribution.
function newsBlocks(doc) {
  let top = 7;
  doc.descendants(function (n) {
    if (n.type === schema.nodes.heading) top = Math.min(top, n.attrs.level);
  });
  const shift = top < 7 ? top - minLevel : 0;
  function block(node) {
    if (node.isTextblock || node.isLeaf) return one(node);
    const kids = [];
    node.forEach(function (c, _, i) {
      // A list item starts with a paragraph in this schema; an image alone
      // there stays an image, which is written back the same.
      kids.push(i === 0 && node.type === schema.nodes.list_item && c.isTextblock ? headingOnly(c) : block(c));
    });
    let out = node.copy(Fragment.from(kids));
    if (node.type === schema.nodes.blockquote) out = attribute(out);
    return out;
  }
  function headingOnly(node) {
    return node.type === schema.nodes.heading ? one(node) : node;
  }
  function one(node) {
    if (node.type === schema.nodes.heading) {
      return schema.nodes.heading.create({ level: Math.min(node.attrs.level - shift, 6) }, node.content);
    }
    if (node.type !== schema.nodes.paragraph || node.childCount !== 1) return node;
    const c = node.firstChild;
    if (c.type === schema.nodes.image && c.marks.length === 0) {
      const t = splitTitle(c.attrs.title);
      return schema.nodes.figure.create({ src: c.attrs.src, alt: c.attrs.alt || "", caption: t.caption, credit: t.credit });
    }
    if (c.isText) {
      const link = c.marks.length === 1 && c.marks[0].type === schema.marks.link ? c.marks[0] : null;
      const bare = c.marks.length === 0;
      if ((bare || (link && link.attrs.href === c.text && !link.attrs.title)) && embedProvider(c.text) && c.text === c.text.trim()) {
        return schema.nodes.embed.create({ url: c.text });
      }
    }
    return node;
  }
  return block(doc);
}

// attribute turns the last paragraph of a quote into its attribution when
// it starts with a dash ("—", "-- " or "--- ") and something comes before
// it, as internal/markup does.
export function attribute(bq) {
  const n = bq.childCount;
  const last = bq.lastChild;
  if (n < 2 || last.type !== schema.nodes.paragraph || !last.firstChild || !last.firstChild.isText) return bq;
  const m = /^[ \t]*(—|--- |-- )/.exec(last.firstChild.text);
  if (!m) return bq;
  const rest = last.textContent.slice(m[0].length);
  if (!rest.trim()) return bq;
  const cut = last.content.cut(m[0].length);
  // The space after "—" is the renderer's.
  let content = cut;
  if (content.firstChild && content.firstChild.isText) {
    const t = content.firstChild.text.replace(/^[ \t]+/, "");
    content = t ? content.replaceChild(0, content.firstChild.withText(t)) : content.cut(content.firstChild.nodeSize);
  }
  const kids = [];
  bq.forEach(function (c, _, i) { if (i < n - 1) kids.push(c); });
  kids.push(schema.nodes.attribution.create({ dash: "—" }, content));
  return bq.copy(Fragment.from(kids));
}

// parseMarkdown reads a body into a document.
export function parseMarkdown(text) {
  return newsBlocks(parser.parse(text || ""));
}

// A title or alt text, escaped so that internal/markup reads it back as
// written: backslash escapes and entity references are resolved there.
function escTitle(s) {
  return s.replace(/[\\"&|]/g, "\\$&").replace(/[\r\n]+/g, " ");
}

function escAlt(s) {
  return s.replace(/[\\\[\]`*_&<!]/g, "\\$&").replace(/[\r\n]+/g, " ");
}

function dest(src) {
  return /[\s()<>]/.test(src) ? "<" + src.replace(/[<>\\]/g, "\\$&") + ">" : src;
}

// cellMarkdown serializes a table cell's inline content on one line, its
// bars escaped (GFM splits the row before reading the cell).
function cellMarkdown(state, cell) {
  const para = schema.nodes.paragraph.create(null, cell.content);
  const out = serializer.serialize(schema.nodes.doc.create(null, para), { tightLists: true });
  return out.replace(/\\\n/g, " ").replace(/\n/g, " ").replace(/\|/g, "\\|").trim();
}

// The characters that would start HTML or an entity where the text had
// none: escaped, since internal/markup drops HTML and resolves entities.
const escapeExtra = /<(?=[A-Za-z\/!?])|&(?=#?[A-Za-z0-9]+;)/g;

const serializer = new MarkdownSerializer({
  blockquote(state, node) {
    state.wrapBlock("> ", null, node, function () { state.renderContent(node); });
  },
  attribution(state, node) {
    state.write("— ");
    state.renderInline(node, false);
    state.closeBlock(node);
  },
  code_block(state, node) {
    const ticks = node.textContent.match(/`{3,}/gm);
    const fence = ticks ? ticks.sort().slice(-1)[0] + "`" : "```";
    state.write(fence + (node.attrs.params || "") + "\n");
    state.text(node.textContent, false);
    state.write("\n");
    state.write(fence);
    state.closeBlock(node);
  },
  heading(state, node) {
    state.write(state.repeat("#", node.attrs.level) + " ");
    state.renderInline(node, false);
    state.closeBlock(node);
  },
  horizontal_rule(state, node) {
    state.write("---");
    state.closeBlock(node);
  },
  bullet_list(state, node, parent, index) {
    // Two lists in a row are told apart by their markers: with the same
    // marker, Markdown would read them as one list.
    const mark = sameBefore(node, parent, index) % 2 ? "* " : "- ";
    state.renderList(node, "  ", function () { return mark; });
  },
  ordered_list(state, node, parent, index) {
    const start = node.attrs.order || 1;
    const delim = sameBefore(node, parent, index) % 2 ? ") " : ". ";
    const w = String(start + node.childCount - 1).length;
    const space = state.repeat(" ", w + 2);
    state.renderList(node, space, function (i) {
      const n = String(start + i);
      return state.repeat(" ", w - n.length) + n + delim;
    });
  },
  list_item(state, node) {
    state.renderContent(node);
  },
  paragraph(state, node) {
    state.renderInline(node);
    state.closeBlock(node);
  },
  figure(state, node) {
    const a = node.attrs;
    let title = escTitle(a.caption || "");
    if (a.credit) title += " | " + escTitle(a.credit);
    state.write("![" + escAlt(a.alt || "") + "](" + dest(a.src) + (title ? ' "' + title + '"' : "") + ")");
    state.closeBlock(node);
  },
  embed(state, node) {
    // The bare address, as the embed block is written; an address that
    // Markdown would read as something else goes in angle brackets.
    const u = node.attrs.url;
    state.write(/[*_`\\\[\]<>&~]/.test(u) ? "<" + u + ">" : u);
    state.closeBlock(node);
  },
  image(state, node) {
    state.write("![" + escAlt(node.attrs.alt || "") + "](" + dest(node.attrs.src) +
      (node.attrs.title ? ' "' + node.attrs.title.replace(/[\\"]/g, "\\$&") + '"' : "") + ")");
  },
  hard_break(state, node, parent, index) {
    for (let i = index + 1; i < parent.childCount; i++) {
      if (parent.child(i).type !== node.type) {
        state.write("\\\n");
        return;
      }
    }
  },
  text(state, node) {
    state.text(node.text, !state.inAutolink);
  },
  table(state, node) {
    const rows = [];
    let aligns = [];
    node.forEach(function (row, _, r) {
      const cells = [];
      row.forEach(function (cell) {
        cells.push(cellMarkdown(state, cell));
        if (r === 0) aligns.push(cell.attrs.align);
        for (let k = 1; k < (cell.attrs.colspan || 1); k++) {
          cells.push("");
          if (r === 0) aligns.push(cell.attrs.align);
        }
      });
      rows.push(cells);
    });
    const cols = Math.max.apply(null, rows.map(function (r) { return r.length; }).concat([1]));
    const line = function (cells) {
      const c = cells.slice();
      while (c.length < cols) c.push("");
      return "| " + c.join(" | ") + " |";
    };
    const delim = [];
    for (let i = 0; i < cols; i++) {
      const a = aligns[i];
      delim.push(a === "left" ? ":--" : a === "right" ? "--:" : a === "center" ? ":-:" : "---");
    }
    state.write(line(rows[0] || []) + "\n");
    state.write(line(delim));
    for (let i = 1; i < rows.length; i++) {
      state.write("\n");
      state.write(line(rows[i]));
    }
    state.closeBlock(node);
  },
}, {
  em: { open: "*", close: "*", mixable: true, expelEnclosingWhitespace: true },
  strong: { open: "**", close: "**", mixable: true, expelEnclosingWhitespace: true },
  strike: { open: "~~", close: "~~", mixable: true, expelEnclosingWhitespace: true },
  link: {
    open(state, mark, parent, index) {
      state.inAutolink = isPlainURL(mark, parent, index);
      return state.inAutolink ? "<" : "[";
    },
    close(state, mark) {
      const auto = state.inAutolink;
      state.inAutolink = undefined;
      return auto ? ">" : "](" + dest(mark.attrs.href).replace(/[()"]/g, function (c, i, s) { return s[0] === "<" ? c : "\\" + c; }) +
        (mark.attrs.title ? ' "' + mark.attrs.title.replace(/[\\"]/g, "\\$&") + '"' : "") + ")";
    },
    mixable: true,
  },
  code: {
    open(_state, _mark, parent, index) { return backticksFor(parent.child(index), -1); },
    close(_state, _mark, parent, index) { return backticksFor(parent.child(index - 1), 1); },
    escape: false,
  },
}, { escapeExtraCharacters: escapeExtra, tightLists: true });

// sameBefore counts the nodes of node's type right before it in parent.
function sameBefore(node, parent, index) {
  let k = 0;
  while (parent && index - k - 1 >= 0 && parent.child(index - k - 1).type === node.type) k++;
  return k;
}

function backticksFor(node, side) {
  const ticks = /`+/g;
  let m, len = 0;
  if (node.isText) while ((m = ticks.exec(node.text))) len = Math.max(len, m[0].length);
  let result = len > 0 && side > 0 ? " `" : "`";
  for (let i = 0; i < len; i++) result += "`";
  if (len > 0 && side < 0) result += " ";
  return result;
}

// An autolink (<https://…>) is a link whose text is its address.
function isPlainURL(link, parent, index) {
  if (link.attrs.title || !/^[a-z][a-z0-9+.-]*:[^\s<>]*$/i.test(link.attrs.href)) return false;
  const content = parent.child(index);
  if (!content.isText || content.text !== link.attrs.href || content.marks[content.marks.length - 1] !== link) return false;
  return index === parent.childCount - 1 || !link.isInSet(parent.child(index + 1).marks);
}

// serializeMarkdown writes a document as the body's Markdown.
//
// It does so after every pause in the writing, and writing a 10,000-word
// story takes tens of milliseconds that a key pressed then would wait
// for. So the story is written a top-level block at a time, and a block
// that has not changed since it was last written (ProseMirror keeps the
// nodes a change does not touch) is not written again. The writer's
// output for a block depends on what came before it in three ways only,
// which make the key its Markdown is kept under: the block before it
// (two lists of one kind in a row are set apart with a blank line more),
// how many blocks of its own type come right before it (their list
// markers alternate: sameBefore), and what was written before it (the
// blank line between blocks: nothing yet, a line's end, or text). Each
// block is written by the same serializer, from the state it would be in
// after the blocks before it, so the result is the same as writing the
// whole document at once.
export function serializeMarkdown(doc) {
  const parts = [];
  let prev = null, before = "";
  doc.forEach(function (node, _, index) {
    const md = blockMarkdown(node, doc, index, prev, before);
    if (md) {
      parts.push(md);
      before = md[md.length - 1] === "\n" ? "\n" : "x";
    }
    prev = node;
  });
  const out = parts.join("").replace(/\s+$/, "");
  return out ? out + "\n" : "";
}

// writeAhead writes the blocks of doc that are not written yet, while
// more() says there is time, and tells whether it got to the end. Run
// while the browser is idle after the page opens, it makes the first
// pause in the writing as cheap as the next ones.
export function writeAhead(doc, more) {
  let prev = null, before = "";
  for (let i = 0; i < doc.childCount; i++) {
    const node = doc.child(i);
    const kept = written.get(node);
    if (!(kept && kept.key === blockKey(node, doc, i, prev, before)) && !more()) return false;
    const md = blockMarkdown(node, doc, i, prev, before);
    if (md) before = md[md.length - 1] === "\n" ? "\n" : "x";
    prev = node;
  }
  return true;
}

const written = new WeakMap();
const stateOptions = Object.assign({}, serializer.options);

// blockMarkdown is what writing node, the index-th child of doc, adds to
// the output, after prev (null for the first block) and after output
// that ends as before does: "" when there is none yet, "\n" at a line's
// end, "x" after text.
function blockMarkdown(node, doc, index, prev, before) {
  const key = blockKey(node, doc, index, prev, before);
  const kept = written.get(node);
  if (kept && kept.key === key) return kept.out;
  const state = new MarkdownSerializerState(serializer.nodes, serializer.marks, stateOptions);
  state.out = before;
  state.closed = prev; // every block's writer ends by closing its block
  state.render(node, doc, index);
  const out = state.out.slice(before.length);
  written.set(node, { key: key, out: out });
  return out;
}

function blockKey(node, doc, index, prev, before) {
  return (prev ? prev.type.name : "") + " " + sameBefore(node, doc, index) + " " + before;
}
