// Word count and reading time, as one writes.

// countWords counts the words in a document: runs of letters or digits
// (with the apostrophes and hyphens inside words), in text blocks,
// captions and alt texts left out.
//
// The count is taken again after every pause in the writing. A change
// makes new nodes only on its way down from the document to what changed,
// and keeps the others, so each block's count is kept with the block and
// only the new ones are counted: a 10,000-word story costs a look-up per
// block, not a match over all its text.
export function countWords(doc) {
  let words = 0;
  doc.forEach(function (node) { words += wordsOf(node); });
  return words;
}

const counted = new WeakMap();

function wordsOf(node) {
  if (node.isLeaf) return 0;
  let words = counted.get(node);
  if (words !== undefined) return words;
  if (node.isTextblock) {
    words = wordsIn(node.textContent);
  } else {
    words = 0;
    node.forEach(function (child) { words += wordsOf(child); });
  }
  counted.set(node, words);
  return words;
}

const word = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*/gu;

export function wordsIn(s) {
  const m = s.match(word);
  return m ? m.length : 0;
}

// readingMinutes is the reading time of words at 230 words a minute, the
// average for adults reading non-fiction on a screen, at least a minute.
export function readingMinutes(words) {
  return Math.max(1, Math.round(words / 230));
}
