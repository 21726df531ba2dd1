// The body's schema: exactly what internal/markup renders, nothing more.
// Whatever a paste or a parse brings that is not here is dropped by
// ProseMirror before it reaches the document.

import { Schema } from "prosemirror-model";
import { tableNodes } from "prosemirror-tables";
import { embedProvider } from "./embeds.js";

// Headings: the page's h1 is the headline, so the body's run from h2. The
// editor makes h2 to h4; deeper levels a Markdown body already has are
// kept, so switching views never changes what readers see.
export const minLevel = 2, maxLevel = 6, maxMadeLevel = 4;

function localSrc(src) {
  // Images load only from this site (internal/markup drops the others).
  return typeof src === "string" && /^\/(?![\/\\])[!-~]*$/.test(src) && src.indexOf("\\") < 0;
}

const nodes = {
  doc: { content: "block+" },
  paragraph: {
    content: "inline*", group: "block",
    parseDOM: [{ tag: "p" }],
    toDOM() { return ["p", 0]; },
  },
  heading: {
    attrs: { level: { default: 2 } },
    content: "inline*", group: "block", defining: true,
    parseDOM: [1, 2, 3, 4, 5, 6].map(function (n) {
      // A pasted h1 is a subhead too: the headline is the page's only h1.
      return { tag: "h" + n, attrs: { level: Math.min(Math.max(n, minLevel), maxMadeLevel) } };
    }),
    toDOM(node) { return ["h" + node.attrs.level, 0]; },
  },
  blockquote: {
    // An attributed quote ends with its attribution ("— Name").
    content: "block+ attribution?", group: "block", defining: true,
    parseDOM: [{ tag: "blockquote" }],
    toDOM() { return ["blockquote", 0]; },
  },
  attribution: {
    // The attribute, always "—", is required only so that ProseMirror
    // never picks this node as the block to make on Enter: a new line in
    // a quote is a paragraph, and the writer says when it is the speaker.
    attrs: { dash: {} },
    content: "inline*", defining: true,
    parseDOM: [{ tag: "blockquote > footer", attrs: { dash: "—" } }, { tag: "footer.attribution", attrs: { dash: "—" } }],
    toDOM() { return ["footer", { class: "attribution" }, 0]; },
  },
  horizontal_rule: {
    group: "block",
    parseDOM: [{ tag: "hr" }],
    toDOM() { return ["hr"]; },
  },
  code_block: {
    content: "text*", marks: "", group: "block", code: true, defining: true,
    attrs: { params: { default: "" } },
    parseDOM: [{ tag: "pre", preserveWhitespace: "full" }],
    toDOM() { return ["pre", ["code", 0]]; },
  },
  bullet_list: {
    content: "list_item+", group: "block",
    attrs: { tight: { default: true } },
    parseDOM: [{ tag: "ul" }],
    toDOM(node) { return ["ul", { class: node.attrs.tight ? "tight" : null }, 0]; },
  },
  ordered_list: {
    content: "list_item+", group: "block",
    attrs: { order: { default: 1 }, tight: { default: true } },
    parseDOM: [{ tag: "ol", getAttrs(dom) { return { order: dom.hasAttribute("start") ? (+dom.getAttribute("start") || 1) : 1 }; } }],
    toDOM(node) { return ["ol", { start: node.attrs.order === 1 ? null : node.attrs.order, class: node.attrs.tight ? "tight" : null }, 0]; },
  },
  list_item: {
    content: "paragraph block*", defining: true,
    parseDOM: [{ tag: "li" }],
    toDOM() { return ["li", 0]; },
  },
  // A figure: a photo from the library with its alt text, caption and
  // credit, stored as a paragraph holding only ![alt](src "caption | credit").
  figure: {
    group: "block", atom: true, draggable: true, selectable: true,
    attrs: { src: {}, alt: { default: "" }, caption: { default: "" }, credit: { default: "" } },
    parseDOM: [{
      tag: "figure",
      getAttrs(dom) {
        const img = dom.querySelector("img");
        if (!img || !localSrc(img.getAttribute("src"))) return false;
        const cap = dom.querySelector("figcaption");
        const credit = cap && cap.querySelector(".credit");
        let caption = "";
        if (cap) {
          const c = cap.cloneNode(true);
          const cr = c.querySelector(".credit");
          if (cr) cr.remove();
          caption = c.textContent.trim();
        }
        return { src: img.getAttribute("src"), alt: img.getAttribute("alt") || "", caption: caption, credit: credit ? credit.textContent.trim() : "" };
      },
    }],
    toDOM(node) {
      const cap = ["figcaption", {}, node.attrs.caption];
      if (node.attrs.credit) cap.push(" ", ["small", { class: "credit" }, node.attrs.credit]);
      return ["figure", { class: node.attrs.alt ? null : "no-alt" }, ["img", { src: node.attrs.src, alt: node.attrs.alt }], cap];
    },
  },
  // An embed: the address of a post, video, chart or map on a known
  // provider, stored as that address alone on its line.
  embed: {
    group: "block", atom: true, draggable: true, selectable: true,
    attrs: { url: {} },
    parseDOM: [{ tag: "div[data-embed]", getAttrs(dom) { const u = dom.getAttribute("data-embed"); return embedProvider(u) ? { url: u } : false; } }],
    toDOM(node) {
      return ["div", { "data-embed": node.attrs.url, class: "embed-card" },
        ["strong", {}, embedProvider(node.attrs.url) || "Embed"], " ", ["span", {}, node.attrs.url]];
    },
  },
  text: { group: "inline" },
  image: {
    inline: true, group: "inline", draggable: true,
    attrs: { src: {}, alt: { default: "" }, title: { default: null } },
    parseDOM: [{ tag: "img[src]", getAttrs(dom) {
      const src = dom.getAttribute("src");
      if (!localSrc(src)) return false;
      return { src: src, alt: dom.getAttribute("alt") || "", title: dom.getAttribute("title") };
    } }],
    toDOM(node) { return ["img", { src: node.attrs.src, alt: node.attrs.alt, title: node.attrs.title }]; },
  },
  hard_break: {
    inline: true, group: "inline", selectable: false,
    parseDOM: [{ tag: "br" }],
    toDOM() { return ["br"]; },
  },
};

// Tables are GFM's: one header row, cells of inline text, a column's
// alignment in its cells.
const tables = tableNodes({
  tableGroup: "block",
  cellContent: "inline*",
  cellAttributes: {
    align: {
      default: null,
      getFromDOM(dom) { const a = dom.style.textAlign || dom.getAttribute("align"); return /^(left|right|center)$/.test(a) ? a : null; },
      setDOMAttr(value, attrs) { if (value) attrs.style = (attrs.style || "") + "text-align:" + value + ";"; },
    },
  },
});
Object.assign(nodes, tables);

const marks = {
  link: {
    attrs: { href: {}, title: { default: null } },
    inclusive: false,
    parseDOM: [{ tag: "a[href]", getAttrs(dom) {
      const href = dom.getAttribute("href");
      // Only the links a page may hold: web, mail, phone and this site's.
      if (!/^(https?:|mailto:|tel:|\/|#)/i.test(href)) return false;
      return { href: href, title: dom.getAttribute("title") };
    } }],
    toDOM(mark) {
      const safe = /^(https?:|mailto:|tel:|\/|#)/i.test(mark.attrs.href);
      return ["a", { href: safe ? mark.attrs.href : null, title: mark.attrs.title || (safe ? null : "Not linked on the page: " + mark.attrs.href), rel: "noopener noreferrer nofollow" }, 0];
    },
  },
  em: {
    parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" },
      { style: "font-style=normal", clearMark(m) { return m.type.name === "em"; } }],
    toDOM() { return ["em", 0]; },
  },
  strong: {
    parseDOM: [{ tag: "strong" },
      // Google Docs wraps a whole paste in <b style="font-weight:normal">.
      { tag: "b", getAttrs(node) { return node.style.fontWeight !== "normal" && null; } },
      { style: "font-weight=400", clearMark(m) { return m.type.name === "strong"; } },
      { style: "font-weight=normal", clearMark(m) { return m.type.name === "strong"; } },
      { style: "font-weight", getAttrs(value) { return /^(bold(er)?|[6-9]\d{2,})$/.test(value) && null; } }],
    toDOM() { return ["strong", 0]; },
  },
  strike: {
    parseDOM: [{ tag: "s" }, { tag: "del" }, { tag: "strike" }, { style: "text-decoration=line-through" }, { style: "text-decoration-line=line-through" }],
    toDOM() { return ["s", 0]; },
  },
  code: {
    code: true,
    parseDOM: [{ tag: "code" }],
    toDOM() { return ["code", 0]; },
  },
};

export const schema = new Schema({ nodes: nodes, marks: marks });
export { localSrc };
