// Paste from Word, Google Docs and web pages: the clipboard's HTML is
// tidied here into plain structure (lists, headings, tables of text,
// links, bold, italic), and the schema's parse rules drop everything else:
// fonts, colours, sizes, classes, comments, foreign images, scripts.

const dropTags = "style, script, meta, link, title, xml, template, iframe, object, embed, svg, canvas, video, audio, form, input, button, select, textarea, noscript";

// cleanPastedHTML returns the clipboard's HTML, tidied.
export function cleanPastedHTML(html) {
  // Word's conditional comments hold its own markup for old versions.
  html = html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "").replace(/<!--[\s\S]*?-->/g, "");
  const doc = new DOMParser().parseFromString(html, "text/html");
  const body = doc.body;
  body.querySelectorAll(dropTags).forEach(function (e) { e.remove(); });
  // Word's namespaced tags (<o:p>, <w:sdt>, <v:shape>): their text stays.
  body.querySelectorAll("*").forEach(function (e) {
    if (e.tagName.indexOf(":") >= 0) unwrap(e);
  });
  wordLists(body);
  // Word marks a paragraph as a title or heading by its class.
  body.querySelectorAll("p.MsoTitle, p.MsoSubtitle").forEach(function (p) { rename(p, "h2"); });
  // Cells hold a line of text: their paragraphs become lines.
  body.querySelectorAll("td, th").forEach(function (cell) {
    cell.querySelectorAll("p, div, h1, h2, h3, h4, h5, h6, li").forEach(function (b) {
      if (b.nextElementSibling) b.after(doc.createElement("br"));
      unwrap(b);
    });
    cell.querySelectorAll("ul, ol").forEach(unwrap);
  });
  // Paragraphs that hold only white space are spacing, not text.
  body.querySelectorAll("p").forEach(function (p) {
    if (!p.querySelector("img") && !p.textContent.replace(/[\s\u00a0]+/g, "")) p.remove();
  });
  return body.innerHTML;
}

function unwrap(e) {
  e.replaceWith.apply(e, Array.from(e.childNodes));
}

function rename(e, tag) {
  const n = e.ownerDocument.createElement(tag);
  while (e.firstChild) n.appendChild(e.firstChild);
  e.replaceWith(n);
  return n;
}

// Word writes a list as paragraphs styled "mso-list: l0 level2 lfo1" whose
// first span (mso-list: Ignore) holds the bullet or number. wordLists
// turns each run of them back into nested <ul> and <ol>.
function wordLists(body) {
  const doc = body.ownerDocument;
  const paras = Array.from(body.querySelectorAll("p"));
  let stack = []; // open lists, outermost first: {list, level}
  let prev = null;
  for (const p of paras) {
    const style = p.getAttribute("style") || "";
    const m = /mso-list:\s*l(\d+)\s+level(\d+)/i.exec(style);
    if (!m || p.closest("td, th")) {
      if (m === null) { stack = []; prev = null; }
      continue;
    }
    const level = +m[2];
    // The marker: the span Word wraps in mso-list: Ignore, or a comment-like
    // run of text before the first tab.
    let marker = "";
    const ign = Array.from(p.querySelectorAll("span")).find(function (s) { return /mso-list:\s*Ignore/i.test(s.getAttribute("style") || ""); });
    if (ign) { marker = ign.textContent.replace(/[\s\u00a0]+/g, ""); ign.remove(); }
    const ordered = /^(\(?[0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]$/.test(marker);
    const li = doc.createElement("li");
    while (p.firstChild) li.appendChild(p.firstChild);
    // A paragraph between list paragraphs ends the run.
    if (!prev || prev.nextElementSibling !== p) stack = [];
    while (stack.length && stack[stack.length - 1].level > level) stack.pop();
    let top = stack[stack.length - 1];
    if (!top || top.level < level) {
      const list = doc.createElement(ordered ? "ol" : "ul");
      if (top) {
        const lastLi = top.list.lastElementChild || top.list.appendChild(doc.createElement("li"));
        lastLi.appendChild(list);
      } else {
        p.before(list);
      }
      top = { list: list, level: level };
      stack.push(top);
    }
    top.list.appendChild(li);
    // The next paragraph of the run follows the list's outermost element.
    const anchor = stack[0].list;
    p.remove();
    prev = anchor;
  }
}
