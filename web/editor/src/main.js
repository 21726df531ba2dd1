// The newsroom's body editor: a ProseMirror view over the body's Markdown.
//
// The form's <textarea name="body"> stays the field that is sent: the
// editor reads its Markdown when the page opens and writes Markdown back
// into it after each change (and whenever the form is read: save,
// autosave, preview), so saving, autosave, conflicts and revisions work
// as they do without JavaScript, where the plain textarea is the editor.
// "Markdown" switches to the textarea and back.

import { EditorState, NodeSelection, Selection, TextSelection } from "prosemirror-state";
import { Mark } from "prosemirror-model";
import { EditorView } from "prosemirror-view";
import { keymap } from "prosemirror-keymap";
import { history } from "prosemirror-history";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { toggleMark, setBlockType, wrapIn, lift } from "prosemirror-commands";
import { wrapInList, liftListItem } from "prosemirror-schema-list";
import { undo, redo, undoDepth, redoDepth } from "prosemirror-history";
import { tableEditing, addRowAfter, addColumnAfter, deleteRow, deleteColumn, deleteTable, isInTable } from "prosemirror-tables";
import { schema, maxMadeLevel } from "./schema.js";
import { parseMarkdown, serializeMarkdown, writeAhead } from "./markdown.js";
import { cleanPastedHTML } from "./paste.js";
import { buildInputRules, buildKeymap, insertBlock, attributeQuote } from "./commands.js";
import { embedProvider } from "./embeds.js";
import { countWords, readingMinutes } from "./count.js";
import { PhotoDialog } from "./photos.js";
import { cursorBlock } from "./cursorblock.js";

const n = schema.nodes, m = schema.marks;

// whenIdle runs f when the browser is idle, with a function that says
// whether there is idle time left (without requestIdleCallback: a few
// milliseconds after a timer).
function whenIdle(f, timeout) {
  if (window.requestIdleCallback) {
    return window.requestIdleCallback(function (deadline) { f(function () { return deadline.timeRemaining() > 1; }); }, timeout ? { timeout: timeout } : undefined);
  }
  return setTimeout(function () {
    const end = performance.now() + 8;
    f(function () { return performance.now() < end; });
  }, 1);
}

function el(tag, attrs, children) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) continue;
    if (k === "text") e.textContent = attrs[k];
    else e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
  }
  for (const c of children || []) e.append(c);
  return e;
}

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

function blockActive(state, type, attrs) {
  const { $from } = state.selection;
  const p = $from.parent;
  if (p.type !== type) return false;
  for (const k in attrs || {}) if (p.attrs[k] !== attrs[k]) return false;
  return true;
}

// sameToolbarContext tells whether every button of the toolbar is as it
// was for state a in state b, without asking each button's command: both
// are a cursor in the same place of the same structure, with the same
// marks to type with, and the same undo and redo to offer, and at most
// the text of the block the cursor is in differs. That is what a typed key
// changes, so a key costs a walk up the cursor's ancestors instead of
// every command of the toolbar and a write to every button; no command of
// the toolbar looks at the text it is in (marks apply to a block's type,
// headings, lists and quotes wrap and lift whole blocks).
function sameToolbarContext(a, b) {
  const sa = a.selection, sb = b.selection;
  if (!(sa instanceof TextSelection) || !(sb instanceof TextSelection) || !sa.empty || !sb.empty) return false;
  if ((undoDepth(a) > 0) !== (undoDepth(b) > 0) || (redoDepth(a) > 0) !== (redoDepth(b) > 0)) return false;
  const $a = sa.$from, $b = sb.$from;
  if (!Mark.sameSet(a.storedMarks || $a.marks(), b.storedMarks || $b.marks())) return false;
  if ($a.depth !== $b.depth) return false;
  for (let d = 0; d <= $a.depth; d++) {
    const na = $a.node(d), nb = $b.node(d);
    if (!na.hasMarkup(nb.type, nb.attrs, nb.marks)) return false;
    if (d === $a.depth) break;
    // Above the cursor's block: the same children, but for the one on the
    // way down to the cursor, which the next round compares.
    const i = $a.index(d);
    if (i !== $b.index(d) || na.childCount !== nb.childCount) return false;
    for (let k = 0; k < na.childCount; k++) if (k !== i && na.child(k) !== nb.child(k)) return false;
  }
  return true;
}

function inNode(state, type) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type === type) return true;
  return false;
}

// toggleList wraps the selection in a list of type, or lifts it out of one.
function toggleList(type) {
  return function (state, dispatch) {
    const { $from } = state.selection;
    for (let d = $from.depth; d > 0; d--) {
      const node = $from.node(d);
      if (node.type === n.bullet_list || node.type === n.ordered_list) {
        if (node.type === type) return liftListItem(n.list_item)(state, dispatch);
        if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(d), type, type === n.ordered_list ? { order: 1, tight: node.attrs.tight } : { tight: node.attrs.tight }));
        return true;
      }
    }
    return wrapInList(type)(state, dispatch);
  };
}

function toggleQuote(state, dispatch) {
  if (inNode(state, n.blockquote)) return lift(state, dispatch);
  return wrapIn(n.blockquote)(state, dispatch);
}

function headingCmd(level) {
  return function (state, dispatch) {
    if (blockActive(state, n.heading, { level: level })) return setBlockType(n.paragraph)(state, dispatch);
    return setBlockType(n.heading, { level: level })(state, dispatch);
  };
}

function insertTable(state, dispatch) {
  const cell = function (t) { return t.createAndFill(); };
  const rows = [
    n.table_row.create(null, [cell(n.table_header), cell(n.table_header)]),
    n.table_row.create(null, [cell(n.table_cell), cell(n.table_cell)]),
  ];
  return insertBlock(n.table.create(null, rows))(state, dispatch);
}

class BodyEditor {
  constructor(form, textarea) {
    this.form = form;
    this.textarea = textarea;
    this.readOnly = !!form.querySelector("fieldset[disabled]") || textarea.disabled;
    this.dirty = false; // the document has changes the textarea lacks
    this.syncTimer = null;
    this.countTimer = null;
    this.mode = "rich";
    this.mdToolbar = form.querySelector(".body-field .toolbar");
    this.build();
    this.photos = new PhotoDialog(this, form.dataset.maxPhoto);
    const saved = window.localStorage && localStorage.getItem("newsdesk.editor.mode");
    this.setMode(saved === "markdown" ? "markdown" : "rich", false);
  }

  build() {
    const ta = this.textarea;
    const label = this.form.querySelector('label[for="' + ta.id + '"]');
    if (label && !label.id) label.id = ta.id + "-label";
    this.root = el("div", { class: "rich-editor" });
    this.modeBar = el("div", { class: "editor-modes", role: "group", "aria-label": "How to write the body" });
    this.richButton = el("button", { type: "button", class: "mode", "data-mode": "rich", text: "Rich text" });
    this.mdButton = el("button", { type: "button", class: "mode", "data-mode": "markdown", text: "Markdown" });
    this.modeBar.append(this.richButton, this.mdButton);
    this.modeBar.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-mode]");
      if (b) this.setMode(b.dataset.mode, true);
    });
    this.toolbar = el("div", { class: "toolbar rich-toolbar", role: "toolbar", "aria-label": "Formatting" });
    this.mount = el("div", { class: "rich-mount article-body" });
    this.counts = el("p", { class: "help counts", id: ta.id + "-counts", "aria-live": "polite" });
    this.root.append(this.mount);
    // The view switch and the toolbar stay together at the top of the
    // window as the body scrolls: nothing can slide over the switch.
    this.head = el("div", { class: "editor-head" }, [this.modeBar, this.toolbar]);
    const anchor = this.mdToolbar || ta;
    anchor.before(this.head);
    ta.before(this.root);
    ta.after(this.counts);

    // The window's edges the cursor is kept inside, for ProseMirror's
    // scrolling (scrollThreshold, scrollMargin): the sticky toolbar at
    // the top and the form's sticky buttons at the bottom cover the text
    // under them.
    this.stickyActions = this.form.querySelector(".actions.sticky");
    const editor = this;
    this.uncovered = {
      left: 5, right: 5,
      get top() { return editor.coveredTop() + 5; },
      get bottom() { return editor.coveredBottom() + 5; },
    };
    this.view = new EditorView(this.mount, {
      state: this.newState(ta.value),
      editable: () => !this.readOnly,
      attributes: {
        class: "rich-body",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": label ? label.id : null,
        "aria-describedby": ta.id + "-counts",
        spellcheck: "true",
      },
      dispatchTransaction: (tr) => this.dispatch(tr),
      handleScrollToSelection: (view) => this.cursorInView(view),
      scrollThreshold: this.uncovered,
      scrollMargin: this.uncovered,
      transformPastedHTML: cleanPastedHTML,
      handlePaste: (view, event) => this.handlePaste(view, event),
      handleDrop: (view, event, slice, moved) => this.handleDrop(view, event, moved),
      handleDoubleClickOn: (view, pos, node) => {
        if (node.type === n.figure && !this.readOnly) { this.photos.edit(pos, node); return true; }
        return false;
      },
    });
    this.buildToolbar();
    if (this.readOnly) this.toolbar.hidden = true;

    // Every read of the form gets the body as it is now: a submit, the
    // autosave's and the preview's FormData, the leave-page check.
    this.form.addEventListener("formdata", (e) => {
      if (this.mode === "rich" && this.dirty) {
        this.flush(false);
        e.formData.set(ta.name, ta.value);
      }
    });
    this.form.addEventListener("submit", () => this.flush(false), true);
    // The form hears of the body when its field, the textarea, changes
    // (flush announces it), not of every key typed in the editor: the
    // autosave and the preview wait for a pause anyway, and a key then
    // costs neither of them a timer.
    this.view.dom.addEventListener("input", (e) => e.stopPropagation());
    this.view.dom.addEventListener("blur", () => this.flush(true));
    ta.addEventListener("input", () => { if (this.mode === "markdown") this.scheduleCount(); });
    this.updateCounts();
    this.writeAhead();
  }

  // writeAhead writes the story's Markdown a few blocks at a time while
  // the browser is idle, so that the first pause in the writing costs
  // what the writer changed, not the whole story (see serializeMarkdown).
  writeAhead() {
    whenIdle((more) => {
      if (this.mode === "rich" && !writeAhead(this.view.state.doc, more)) this.writeAhead();
    });
  }

  newState(markdown) {
    const km = buildKeymap();
    return EditorState.create({
      doc: parseMarkdown(markdown),
      plugins: [
        buildInputRules(),
        keymap(km.keys),
        keymap(km.base),
        history(),
        dropCursor(),
        gapCursor(),
        tableEditing(),
        cursorBlock(),
      ],
    });
  }

  dispatch(tr) {
    const state = this.view.state.apply(tr);
    this.view.updateState(state);
    if (tr.docChanged) {
      this.dirty = true;
      this.scheduleSync();
      this.scheduleCount();
    }
    this.updateToolbar();
  }

  // scheduleSync writes the Markdown back 400 ms after the last change.
  // A run of keys keeps one timer, which looks again when it fires,
  // rather than clearing and setting one at every key.
  scheduleSync() {
    this.changedAt = performance.now();
    if (!this.syncTimer) this.syncTimer = setTimeout(() => this.syncAfterPause(), 400);
  }

  syncAfterPause() {
    this.syncTimer = null;
    const wait = this.changedAt + 400 - performance.now();
    if (wait > 1) this.syncTimer = setTimeout(() => this.syncAfterPause(), wait);
    else this.flush(true);
  }

  // coveredTop and coveredBottom are how much of the window's top and
  // bottom the sticky toolbar and the form's sticky buttons cover now.
  coveredTop() {
    return Math.max(0, this.head.getBoundingClientRect().bottom);
  }

  coveredBottom() {
    if (!this.stickyActions) return 0;
    return Math.max(0, window.innerHeight - this.stickyActions.getBoundingClientRect().top);
  }

  // cursorInView tells ProseMirror that a cursor already in view, between
  // the sticky bars, needs no scrolling: the common case of a key typed,
  // which then costs one look at the cursor's place instead of a walk up
  // every element around the editor. Anything else (a selection, a cursor
  // out of view) is scrolled by ProseMirror, within the same bars.
  cursorInView(view) {
    const sel = view.state.selection;
    if (!sel.empty) return false;
    const r = view.coordsAtPos(sel.head);
    return r.top >= this.coveredTop() + 5 && r.bottom <= window.innerHeight - this.coveredBottom() - 5 &&
      r.left >= 0 && r.right <= document.documentElement.clientWidth;
  }

  // flush writes the document's Markdown into the textarea, and with
  // announce tells the page's other scripts (live preview, autosave) that
  // the body changed.
  flush(announce) {
    if (this.syncTimer) { clearTimeout(this.syncTimer); this.syncTimer = null; }
    if (!this.dirty || this.mode !== "rich") return;
    this.dirty = false;
    this.textarea.value = serializeMarkdown(this.view.state.doc);
    if (announce) this.textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  markdown() {
    this.flush(false);
    return this.textarea.value;
  }

  scheduleCount() {
    if (this.countTimer) return;
    // Counting is done when the browser is idle, between keys, never in
    // a key's frame.
    this.countTimer = setTimeout(() => whenIdle(() => { this.countTimer = null; this.updateCounts(); }, 2000), 300);
  }

  updateCounts() {
    const words = this.mode === "rich" ? countWords(this.view.state.doc) : countWords(parseMarkdown(this.textarea.value));
    const mins = readingMinutes(words);
    this.counts.textContent = words.toLocaleString("en") + (words === 1 ? " word" : " words") + " · " +
      (words === 0 ? "nothing to read yet" : mins + " min read");
    this.counts.dataset.words = String(words);
  }

  setMode(mode, user) {
    if (mode === this.mode && this.root.dataset.mode) return;
    if (mode === "markdown") {
      this.flush(true);
      this.mode = "markdown";
      this.root.hidden = true;
      this.toolbar.hidden = true;
      this.textarea.hidden = false;
      if (this.mdToolbar) this.mdToolbar.hidden = this.readOnly;
      if (user) this.textarea.focus();
    } else {
      if (this.mode === "markdown") {
        // The textarea may have been edited: it is the truth.
        this.view.updateState(this.newState(this.textarea.value));
        this.dirty = false;
        this.writeAhead();
      }
      this.mode = "rich";
      this.root.hidden = false;
      this.toolbar.hidden = this.readOnly;
      this.textarea.hidden = true;
      if (this.mdToolbar) this.mdToolbar.hidden = true;
      if (user) this.view.focus();
    }
    this.root.dataset.mode = mode;
    this.richButton.setAttribute("aria-pressed", String(mode === "rich"));
    this.mdButton.setAttribute("aria-pressed", String(mode === "markdown"));
    if (user && window.localStorage) localStorage.setItem("newsdesk.editor.mode", mode);
    this.updateCounts();
    this.updateToolbar();
  }

  run(cmd) {
    cmd(this.view.state, (tr) => this.view.dispatch(tr), this.view);
    this.view.focus();
  }

  buildToolbar() {
    const defs = [
      { id: "bold", label: "B", title: "Bold (Ctrl+B)", cmd: toggleMark(m.strong), active: (s) => markActive(s, m.strong) },
      { id: "italic", label: "I", title: "Italic (Ctrl+I)", cmd: toggleMark(m.em), active: (s) => markActive(s, m.em) },
      { id: "strike", label: "S", title: "Strikethrough (Ctrl+Shift+X)", cmd: toggleMark(m.strike), active: (s) => markActive(s, m.strike) },
      { id: "link", label: "Link", title: "Link (Ctrl+K)", cmd: null, active: (s) => markActive(s, m.link) },
      { sep: true },
      { id: "h2", label: "H2", title: "Subhead (## )", cmd: headingCmd(2), active: (s) => blockActive(s, n.heading, { level: 2 }) },
      { id: "h3", label: "H3", title: "Smaller subhead (### )", cmd: headingCmd(3), active: (s) => blockActive(s, n.heading, { level: 3 }) },
      { id: "h4", label: "H4", title: "Smallest subhead (#### )", cmd: headingCmd(maxMadeLevel), active: (s) => blockActive(s, n.heading, { level: 4 }) },
      { id: "bullets", label: "• List", title: "Bulleted list (- )", cmd: toggleList(n.bullet_list), active: (s) => inNode(s, n.bullet_list) },
      { id: "numbers", label: "1. List", title: "Numbered list (1. )", cmd: toggleList(n.ordered_list), active: (s) => inNode(s, n.ordered_list) },
      { id: "quote", label: "Quote", title: "Quote (> )", cmd: toggleQuote, active: (s) => inNode(s, n.blockquote) },
      { id: "attribution", label: "— Who", title: "Say who is quoted (type — or -- at the start of the quote's last line)", cmd: attributeQuote, active: (s) => inNode(s, n.attribution) },
      { sep: true },
      { id: "photo", label: "Photo", title: "Photo: upload, or choose from the library", cmd: null },
      { id: "embed", label: "Embed", title: "Embed a post, video, chart or map by its address", cmd: null },
      { id: "table", label: "Table", title: "Table", cmd: insertTable },
      { id: "rule", label: "Rule", title: "Horizontal rule (---)", cmd: insertBlock(n.horizontal_rule.create()) },
      { sep: true, table: true },
      { id: "row", label: "+ Row", title: "Add a row below", cmd: addRowAfter, table: true },
      { id: "col", label: "+ Column", title: "Add a column to the right", cmd: addColumnAfter, table: true },
      { id: "delrow", label: "− Row", title: "Delete the row", cmd: deleteRow, table: true },
      { id: "delcol", label: "− Column", title: "Delete the column", cmd: deleteColumn, table: true },
      { id: "deltable", label: "− Table", title: "Delete the table", cmd: deleteTable, table: true },
      { sep: true },
      { id: "undo", label: "Undo", title: "Undo (Ctrl+Z)", cmd: undo },
      { id: "redo", label: "Redo", title: "Redo (Ctrl+Shift+Z)", cmd: redo },
    ];
    this.buttons = [];
    this.tableSeps = [];
    for (const d of defs) {
      if (d.sep) {
        const s = el("span", { class: "sep", "aria-hidden": "true" });
        if (d.table) { s.dataset.table = "1"; this.tableSeps.push(s); }
        this.toolbar.append(s);
        continue;
      }
      const b = el("button", { type: "button", title: d.title, "data-cmd": d.id, "aria-label": d.title.replace(/ \(.*\)$/, "") }, [d.label]);
      if (d.table) b.dataset.table = "1";
      this.toolbar.append(b);
      this.buttons.push({ el: b, def: d });
    }
    this.toolbar.addEventListener("mousedown", (e) => { if (e.target.closest("button")) e.preventDefault(); });
    this.toolbar.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-cmd]");
      if (!b) return;
      const id = b.dataset.cmd;
      if (id === "link") return this.editLink();
      if (id === "photo") return this.photos.open();
      if (id === "embed") return this.askEmbed();
      const d = this.buttons.find((x) => x.def.id === id);
      if (d && d.def.cmd) this.run(d.def.cmd);
    });
    this.view.dom.addEventListener("keydown", (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        this.editLink();
      }
    });
    this.updateToolbar();
  }

  // updateToolbar shows which buttons apply to the selection and which
  // are on. After a transaction that leaves the cursor's context as it
  // was (a typed key), nothing is asked; otherwise every command is, and a
  // button is touched only if its state changed, so that a key does not
  // make the browser restyle the toolbar.
  updateToolbar() {
    if (!this.buttons || this.mode !== "rich") return;
    const s = this.view.state;
    if (this.toolbarState && sameToolbarContext(this.toolbarState, s)) {
      this.toolbarState = s;
      return;
    }
    this.toolbarState = s;
    const table = isInTable(s);
    for (const x of this.buttons) {
      const { el: b, def } = x;
      if (def.table) {
        if (b.hidden !== !table) b.hidden = !table;
        continue;
      }
      if (def.active) {
        const on = String(!!def.active(s));
        if (x.pressed !== on) { b.setAttribute("aria-pressed", on); x.pressed = on; }
      }
      if (def.cmd) {
        const off = !def.cmd(s);
        if (b.disabled !== off) b.disabled = off;
      }
    }
    for (const x of this.tableSeps) if (x.hidden !== !table) x.hidden = !table;
  }

  // editLink asks for an address for the selected words (or the link the
  // cursor is in); an empty address takes the link off.
  editLink() {
    const s = this.view.state;
    let { from, to } = s.selection;
    let current = "";
    const $from = s.selection.$from;
    const link = m.link.isInSet($from.marks());
    if (link) {
      current = link.attrs.href;
      // The whole link, not just the cursor's place in it.
      const parent = $from.parent, start = $from.start();
      let pos = start;
      parent.forEach((child) => {
        const end = pos + child.nodeSize;
        if (link.isInSet(child.marks) && pos <= $from.pos && end >= $from.pos) { from = Math.min(from, pos); to = Math.max(to, end); }
        pos = end;
      });
    }
    this.ask({
      title: current ? "Edit the link" : "Add a link",
      label: "Address",
      value: current || "https://",
      help: "A web address (https://…), an e-mail address (mailto:…) or a page of this site (/…). Empty takes the link off.",
      check: (v) => (!v || /^(https?:\/\/[^\s]+|mailto:[^\s]+|tel:[^\s]+|\/[^\s]*|#[^\s]*)$/i.test(v)) ? "" : "That is not an address a link can have: start it with https://, mailto: or /.",
      done: (v) => {
        let tr = this.view.state.tr;
        if (!v) {
          tr = tr.removeMark(from, to, m.link);
        } else if (from === to) {
          tr = tr.insertText(v, from, to).addMark(from, from + v.length, m.link.create({ href: v }));
        } else {
          tr = tr.removeMark(from, to, m.link).addMark(from, to, m.link.create({ href: v }));
        }
        this.view.dispatch(tr.scrollIntoView());
        this.view.focus();
      },
    });
  }

  askEmbed() {
    this.ask({
      title: "Embed",
      label: "Address of the post, video, chart or map",
      value: "https://",
      help: "YouTube, Vimeo, X, Instagram, Facebook, TikTok, SoundCloud, Spotify, Datawrapper, Flourish, OpenStreetMap or Google Maps. Readers see a card and load it only if they choose to.",
      check: (v) => embedProvider(v) ? "" : "That address is not one of the sites listed above; paste it into the text as a link instead.",
      done: (v) => { this.run(insertBlock(n.embed.create({ url: v.trim() }))); },
    });
  }

  // ask shows a small dialog with one field.
  ask(o) {
    const dlg = el("dialog", { class: "editor-dialog", "aria-labelledby": "ask-title" });
    const input = el("input", { id: "ask-input", type: "text", value: o.value || "", "aria-describedby": "ask-help ask-error", autocomplete: "off", spellcheck: "false" });
    const err = el("p", { class: "field-error", id: "ask-error", role: "alert" });
    const f = el("form", { method: "dialog" }, [
      el("h2", { id: "ask-title", text: o.title }),
      el("div", { class: "field" }, [el("label", { for: "ask-input", text: o.label }), input, el("p", { class: "help", id: "ask-help", text: o.help || "" }), err]),
      el("div", { class: "actions" }, [el("button", { type: "submit", value: "ok", text: "OK" }), el("button", { type: "button", class: "secondary", value: "cancel", "data-cancel": "1", text: "Cancel" })]),
    ]);
    dlg.append(f);
    document.body.append(dlg);
    const close = () => { dlg.close(); dlg.remove(); this.view.focus(); };
    f.querySelector("[data-cancel]").addEventListener("click", close);
    dlg.addEventListener("cancel", (e) => { e.preventDefault(); close(); });
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const v = input.value.trim() === "https://" ? "" : input.value.trim();
      const problem = o.check ? o.check(v) : "";
      if (problem) { err.textContent = problem; input.setAttribute("aria-invalid", "true"); input.focus(); return; }
      dlg.close(); dlg.remove();
      o.done(v);
    });
    dlg.showModal();
    input.select();
  }

  handlePaste(view, event) {
    const cd = event.clipboardData;
    if (!cd || this.readOnly) return false;
    const text = cd.getData("text/plain");
    const files = Array.from(cd.files || []).filter((f) => /^image\//.test(f.type));
    // Word and others put a picture of the text beside the text: the text wins.
    if (files.length && !text.trim()) {
      event.preventDefault();
      this.photos.uploadFiles(files, view.state.selection.from);
      return true;
    }
    const url = text.trim();
    if (url && !/\s/.test(url) && embedProvider(url)) {
      const { $from, empty } = view.state.selection;
      if (empty && $from.parent.type === n.paragraph && $from.parent.content.size === 0) {
        const tr = view.state.tr.replaceWith($from.before(), $from.after(), n.embed.create({ url: url }));
        view.dispatch(tr.scrollIntoView());
        return true;
      }
    }
    if (url && /^https?:\/\/\S+$/.test(url) && !view.state.selection.empty) {
      // A link pasted over words links them.
      const { from, to } = view.state.selection;
      view.dispatch(view.state.tr.addMark(from, to, m.link.create({ href: url })));
      return true;
    }
    return false;
  }

  handleDrop(view, event, moved) {
    if (moved || this.readOnly) return false;
    const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []).filter((f) => /^image\//.test(f.type));
    if (!files.length) return false;
    event.preventDefault();
    const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
    this.photos.uploadFiles(files, at ? at.pos : view.state.selection.from);
    return true;
  }

  // insertFigure puts a figure at pos (or replaces the figure there).
  insertFigure(attrs, pos, replace) {
    const state = this.view.state;
    const node = n.figure.create(attrs);
    let tr = state.tr;
    if (replace) {
      tr = tr.setNodeMarkup(pos, null, attrs);
    } else {
      const p = Math.min(pos == null ? state.selection.from : pos, state.doc.content.size);
      const near = Selection.near(tr.doc.resolve(p));
      if (near instanceof NodeSelection) {
        // On a figure or an embed: the new one goes after it, never over it.
        tr = tr.insert(near.to, node);
        this.view.dispatch(tr.setSelection(NodeSelection.create(tr.doc, near.to)).scrollIntoView());
        this.view.focus();
        return;
      }
      tr = tr.setSelection(near);
      const $p = tr.selection.$from;
      if ($p.parent.type === n.paragraph && $p.parent.content.size === 0) {
        tr = tr.replaceWith($p.before(), $p.after(), node);
      } else {
        tr = tr.replaceSelectionWith(node);
      }
    }
    this.view.dispatch(tr.scrollIntoView());
    this.view.focus();
  }
}

// For the browser tests and the curious: the editor's own Markdown reader
// and writer, and the running editor once there is one.
window.newsdeskEditor = { parseMarkdown: parseMarkdown, serializeMarkdown: serializeMarkdown, cleanPastedHTML: cleanPastedHTML, editor: null };

function start() {
  const form = document.getElementById("editor");
  const ta = form && form.querySelector("textarea#body");
  if (!ta) return;
  window.newsdeskEditor.editor = new BodyEditor(form, ta);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
