// Word count and reading time, as one writes.

// countWords counts the words in a document: runs of letters or digits
// (with the apostrophes and hyphens inside words), in text blocks,
// captions and alt texts left out.
export function countWords(doc) {
  let words = 0;
  doc.descendants(function (node) {
    if (node.isTextblock) {
      words += wordsIn(node.textContent);
      return false;
    }
    return true;
  });
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
