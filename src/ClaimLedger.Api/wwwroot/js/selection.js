// A document's text on screen, with highlighted spans, and the checker's selection in it turned into a span of the
// registered text: offsets come from the text itself, never from typing.
import { el, uniqueId } from './dom.js';

/**
 * The document's text in a box whose text content is exactly the registered text, with the given spans marked.
 * Overlapping spans are split into segments, each marked with every span that covers it.
 */
export function textBox(doc, spans = [], { label, onMarkClick } = {}) {
  const box = el('div', { class: 'article', tabindex: 0, role: 'region', 'aria-label': label || `Text of ${doc.title}`, 'data-document': doc.id });
  const cuts = new Set([0, doc.text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((c) => c >= 0 && c <= doc.text.length).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = spans.filter((s) => s.start <= from && s.end >= to);
    const text = doc.text.slice(from, to);
    if (!covering.length) { box.append(text); continue; }
    const mark = el('mark', { class: covering.map((s) => s.kind || '').join(' '), title: covering.map((s) => s.title).filter(Boolean).join('\n') || undefined }, text);
    if (onMarkClick) mark.addEventListener('click', () => { if (window.getSelection().isCollapsed) onMarkClick(covering[0]); });
    box.append(mark);
  }
  return box;
}

/** The UTF-16 offset in the box's text of a point of a DOM range. */
function offsetIn(box, node, offset) {
  const range = document.createRange();
  range.setStart(box, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The selected span of the document, trimmed of surrounding white space, or null when nothing in the box is selected. */
export function selectedSpan(box, doc) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return null;
  let start = offsetIn(box, range.startContainer, range.startOffset);
  let end = offsetIn(box, range.endContainer, range.endOffset);
  while (start < end && /\s/.test(doc.text[start])) start++;
  while (end > start && /\s/.test(doc.text[end - 1])) end--;
  if (start >= end) return null;
  return { documentId: doc.id, publisher: doc.publisher, title: doc.title, start, end, excerpt: doc.text.slice(start, end) };
}

/** Selects [start, end) of the box's text on screen, as if the reader had dragged over it. */
export function selectSpan(box, start, end) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let at = 0;
  let startSet = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.data.length;
    if (!startSet && start <= at + length) { range.setStart(node, start - at); startSet = true; }
    if (startSet && end <= at + length) { range.setEnd(node, end - at); break; }
    at += length;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  range.startContainer.parentElement?.scrollIntoView({ block: 'center' });
}

/**
 * Watches a text box: whenever the reader selects text in it, by mouse, touch or keyboard (shift and arrows, or the
 * find field this returns), calls onSpan with the span. The find field is the keyboard alternative to dragging.
 */
export function watchSelection(box, doc, onSpan) {
  let last = '';
  const report = () => {
    const span = selectedSpan(box, doc);
    const key = span ? `${span.start}:${span.end}` : '';
    if (span && key !== last) { last = key; onSpan(span); }
  };
  box.addEventListener('mouseup', () => setTimeout(report));
  box.addEventListener('keyup', report);
  box.addEventListener('touchend', () => setTimeout(report, 50));
  const onChange = () => {
    if (!box.isConnected) { document.removeEventListener('selectionchange', onChange); return; }
    clearTimeout(box.selectionTimer);
    box.selectionTimer = setTimeout(report, 250);
  };
  document.addEventListener('selectionchange', onChange);

  const id = uniqueId('find');
  const input = el('input', { id, type: 'search', autocomplete: 'off', class: 'find-input' });
  const status = el('span', { role: 'status', class: 'muted' });
  let from = 0;
  const find = (event) => {
    event.preventDefault();
    const words = input.value.trim();
    if (!words) { status.textContent = 'Type or paste the words to select.'; return; }
    let at = doc.text.indexOf(words, from);
    if (at < 0) at = doc.text.indexOf(words);
    if (at < 0) { status.textContent = 'Not found in this text: the words must match exactly.'; return; }
    const count = doc.text.split(words).length - 1;
    const nth = doc.text.slice(0, at).split(words).length;
    from = at + 1;
    selectSpan(box, at, at + words.length);
    status.textContent = `Selected match ${nth} of ${count}.`;
    last = `${at}:${at + words.length}`;
    onSpan({ documentId: doc.id, publisher: doc.publisher, title: doc.title, start: at, end: at + words.length, excerpt: doc.text.slice(at, at + words.length) }, { keyboard: true });
  };
  const form = el('form', { class: 'find', onsubmit: find },
    el('label', { for: id }, 'Select by typing the words'), input, el('button', { type: 'submit', class: 'secondary' }, 'Select next match'), status);
  input.addEventListener('input', () => { from = 0; });
  return form;
}
