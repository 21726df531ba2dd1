// The top-level blocks that hold the ends of the selection, marked with
// the class "cursor-block".
//
// The body's blocks are rendered only near the screen (content-visibility,
// in admin.css), and Chromium does not yet render a block it has just
// been given: keys typed at once into a block ProseMirror has just made
// (Enter, or "## " turning a paragraph into a subhead) could land in the
// wrong place. The blocks being written in are therefore always rendered.

import { Plugin } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";

const mark = { class: "cursor-block" };

// blockAt is the top-level block around pos, as [from, to], or null
// between blocks with none after.
function blockAt(doc, pos) {
  const $p = doc.resolve(pos);
  if ($p.depth > 0) return [$p.before(1), $p.after(1)];
  const next = $p.nodeAfter;
  return next ? [pos, pos + next.nodeSize] : null;
}

function blocksOf(state) {
  const { from, to } = state.selection;
  const out = [];
  for (const pos of from === to ? [from] : [from, to]) {
    const b = blockAt(state.doc, pos);
    if (b && !out.some((x) => x[0] === b[0])) out.push(b);
  }
  return out;
}

function build(state) {
  return DecorationSet.create(state.doc, blocksOf(state).map((b) => Decoration.node(b[0], b[1], mark)));
}

// sameBlocks tells whether set marks exactly the blocks of state's
// selection: a typed key moves the marks with the text, and they stay
// right without being made again.
function sameBlocks(set, state) {
  const have = set.find(), want = blocksOf(state);
  if (have.length !== want.length) return false;
  return want.every((b) => have.some((d) => d.from === b[0] && d.to === b[1]));
}

export function cursorBlock() {
  return new Plugin({
    state: {
      init(_, state) { return build(state); },
      apply(tr, set, _old, state) {
        if (!tr.docChanged && !tr.selectionSet) return set;
        const mapped = tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
        return sameBlocks(mapped, state) ? mapped : build(state);
      },
    },
    props: {
      decorations(state) { return this.getState(state); },
    },
  });
}
