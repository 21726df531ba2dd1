// The editor's commands, keys and input rules.

import { toggleMark, setBlockType, wrapIn, chainCommands, exitCode, joinUp, joinDown, lift, selectParentNode, baseKeymap } from "prosemirror-commands";
import { wrapInList, splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { undo, redo } from "prosemirror-history";
import { inputRules, wrappingInputRule, textblockTypeInputRule, InputRule, undoInputRule } from "prosemirror-inputrules";
import { goToNextCell } from "prosemirror-tables";
import { TextSelection } from "prosemirror-state";
import { schema, maxMadeLevel } from "./schema.js";

const n = schema.nodes, m = schema.marks;

// insertBlock replaces the selection with a block node, or puts it after the
// block the cursor is in.
export function insertBlock(node) {
  return function (state, dispatch) {
    const { $from } = state.selection;
    for (let d = $from.depth; d >= 0; d--) {
      const index = $from.index(d);
      if ($from.node(d).canReplaceWith(index, index, node.type)) {
        if (dispatch) dispatch(state.tr.replaceSelectionWith(node).scrollIntoView());
        return true;
      }
    }
    return false;
  };
}

// attributeQuote ends the quote the cursor is in with an attribution, or
// moves the cursor to the one it has.
export function attributeQuote(state, dispatch) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) {
    const bq = $from.node(d);
    if (bq.type !== n.blockquote) continue;
    const end = $from.end(d);
    if (bq.lastChild.type === n.attribution) {
      if (dispatch) {
        const tr = state.tr;
        tr.setSelection(state.selection.constructor.near(tr.doc.resolve(end - 1)));
        dispatch(tr.scrollIntoView());
      }
      return true;
    }
    if (dispatch) {
      const tr = state.tr.insert(end, n.attribution.create({ dash: "—" }));
      tr.setSelection(state.selection.constructor.near(tr.doc.resolve(end + 1)));
      dispatch(tr.scrollIntoView());
    }
    return true;
  }
  return false;
}

// A dash typed at the start of a quote's last paragraph makes it the
// attribution: "— " or "-- ".
function attributionRule() {
  // \s: a space typed at the end of a line reaches the editor as U+00A0.
  return new InputRule(/^(—|--)\s$/, function (state, match, start, end) {
    const $start = state.doc.resolve(start);
    const para = $start.parent;
    if (para.type !== n.paragraph || $start.depth < 2) return null;
    const bq = $start.node($start.depth - 1);
    const index = $start.index($start.depth - 1);
    if (bq.type !== n.blockquote || index !== bq.childCount - 1 || index === 0) return null;
    // The paragraph becomes the attribution, without the dash (the page
    // writes its own), however much of it the browser had already put in
    // the document when the rule ran.
    let content = para.content.cut(end - $start.start());
    const first = content.firstChild;
    if (first && first.isText) {
      const rest = first.text.replace(/^[ \u00a0]*(—|--)[ \u00a0]*/, "");
      if (rest !== first.text) content = rest ? content.replaceChild(0, first.withText(rest)) : content.cut(first.nodeSize);
    }
    const tr = state.tr.replaceWith($start.before(), $start.after(), n.attribution.create({ dash: "—" }, content));
    tr.setSelection(TextSelection.create(tr.doc, $start.before() + 1));
    return tr;
  });
}

function markRule(re, markType) {
  // **x**, *x*, ~~x~~, `x`: the text between the markers is marked.
  return new InputRule(re, function (state, match, start, end) {
    const text = match[2];
    const lead = match[1] || "";
    const tr = state.tr.replaceWith(start + lead.length, end, schema.text(text, [markType.create()]));
    tr.removeStoredMark(markType);
    return tr;
  });
}

export function buildInputRules() {
  const rules = [
    // "---" on a line of its own is a rule across the page.
    new InputRule(/^(?:---|___|\*\*\*)$/, function (state, match, start, end) {
      const $start = state.doc.resolve(start);
      if ($start.parent.type !== n.paragraph || $start.parent.textContent.length !== 2) return null;
      const range = [$start.before(), $start.after()];
      return state.tr.replaceWith(range[0], range[1], [n.horizontal_rule.create(), n.paragraph.create()]);
    }),
    wrappingInputRule(/^\s*>\s$/, n.blockquote),
    wrappingInputRule(/^\s*([-+*])\s$/, n.bullet_list),
    wrappingInputRule(/^(\d+)[.)]\s$/, n.ordered_list, function (match) { return { order: +match[1] }; },
      function (match, node) { return node.childCount + node.attrs.order === +match[1]; }),
    // "# " to "#### ": subheads, the top one an h2 (the headline is the h1).
    textblockTypeInputRule(/^(#{1,4})\s$/, n.heading, function (match) { return { level: Math.min(Math.max(match[1].length, 2), maxMadeLevel) }; }),
    attributionRule(),
    markRule(/(^|[^*])\*\*([^*\s](?:[^*]*[^*\s])?)\*\*$/, m.strong),
    markRule(/(^|[^*\w])\*([^*\s](?:[^*]*[^*\s])?)\*$/, m.em),
    markRule(/(^|[^_\w])_([^_\s](?:[^_]*[^_\s])?)_$/, m.em),
    markRule(/(^|[^~])~~([^~\s](?:[^~]*[^~\s])?)~~$/, m.strike),
    markRule(/(^|[^`])`([^`]+)`$/, m.code),
    // No typographic rules: the public renderer turns quotes and dashes
    // into their typographic forms, and "--" must stay typeable.
  ];
  return inputRules({ rules: rules });
}

export function buildKeymap() {
  const keys = {};
  function bind(key, cmd) { keys[key] = cmd; }
  bind("Mod-z", undo);
  bind("Shift-Mod-z", redo);
  bind("Mod-y", redo);
  bind("Backspace", undoInputRule);
  bind("Mod-b", toggleMark(m.strong));
  bind("Mod-B", toggleMark(m.strong));
  bind("Mod-i", toggleMark(m.em));
  bind("Mod-I", toggleMark(m.em));
  bind("Mod-Shift-x", toggleMark(m.strike));
  bind("Mod-e", toggleMark(m.code));
  bind("Alt-ArrowUp", joinUp);
  bind("Alt-ArrowDown", joinDown);
  bind("Mod-BracketLeft", lift);
  bind("Escape", selectParentNode);
  bind("Shift-Ctrl-8", wrapInList(n.bullet_list));
  bind("Shift-Ctrl-9", wrapInList(n.ordered_list));
  bind("Ctrl->", wrapIn(n.blockquote));
  const br = n.hard_break;
  const cmd = chainCommands(exitCode, function (state, dispatch) {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(br.create()).scrollIntoView());
    return true;
  });
  bind("Mod-Enter", cmd);
  bind("Shift-Enter", cmd);
  bind("Enter", splitListItem(n.list_item));
  bind("Mod-[", liftListItem(n.list_item));
  bind("Mod-]", sinkListItem(n.list_item));
  bind("Tab", chainCommands(goToNextCell(1), sinkListItem(n.list_item)));
  bind("Shift-Tab", chainCommands(goToNextCell(-1), liftListItem(n.list_item)));
  bind("Shift-Ctrl-0", setBlockType(n.paragraph));
  for (let i = 2; i <= maxMadeLevel; i++) bind("Shift-Ctrl-" + i, setBlockType(n.heading, { level: i }));
  bind("Mod-Alt-2", setBlockType(n.heading, { level: 2 }));
  bind("Mod-Alt-3", setBlockType(n.heading, { level: 3 }));
  bind("Mod-Alt-4", setBlockType(n.heading, { level: 4 }));
  bind("Mod-Alt-0", setBlockType(n.paragraph));
  bind("Shift-Ctrl-minus", insertBlock(n.horizontal_rule.create()));
  return { keys: keys, base: baseKeymap };
}
