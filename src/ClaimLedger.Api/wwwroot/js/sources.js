// Evidence as a reader can follow it: a cited source shows its publisher, title, date and a link with the fact it
// supports; a span of a full-text document shows the words as printed there, linked to their place in the document.
import { el } from './dom.js';
import { api } from './api.js';
import { dateWords } from './words.js';

const documents = new Map();

/** The registered document, fetched once per page load however many spans cite it. */
export function documentOf(id) {
  if (!documents.has(id)) documents.set(id, api(`/documents/${encodeURIComponent(id)}`).then((r) => r.data, () => null));
  return documents.get(id);
}

export const forgetDocuments = () => documents.clear();

export const spanLink = (span) => `#/documents/${encodeURIComponent(span.documentId)}?span=${span.start}-${span.end}`;

const safeUrl = (url) => (/^https?:\/\//i.test(url ?? '') ? url : null);

/** One cited span, filled in with its document's details once they arrive. */
export function evidenceNode(span) {
  const node = el('span', { class: 'evidence-item' },
    el('a', { href: spanLink(span) }, `as printed in ${span.publisher ?? span.documentId}: “${span.excerpt}”`));
  documentOf(span.documentId).then((doc) => { if (doc) node.replaceChildren(...describeSpan(span, doc).filter((part) => part !== '')); });
  return node;
}

/** A cited source as a reader can follow it: publisher, linked title, publication and retrieval dates, archived copy. */
export function sourceLine(doc) {
  const url = safeUrl(doc.url);
  const archive = safeUrl(doc.archiveUrl);
  return [
    el('span', { class: 'source-name' }, `${doc.publisher}, `, url ? el('a', { href: url, rel: 'noopener noreferrer' }, doc.title) : `“${doc.title}”`),
    doc.publishedOn ? `, ${dateWords(doc.publishedOn, 'Day')}` : ', date not given',
    doc.retrievedOn ? ` (retrieved ${dateWords(doc.retrievedOn, 'Day')})` : '',
    ...(archive ? [' · ', el('a', { href: archive, rel: 'noopener noreferrer' }, 'archived copy')] : []),
  ];
}

/** The words that say where a span comes from: a cited source and the fact it supports, or the words as printed. */
export function describeSpan(span, doc) {
  if (doc.kind !== 'Cited') {
    return [el('a', { href: spanLink(span) }, `as printed in ${doc.publisher}`), `: “${span.excerpt}”`,
      doc.attributedTo ? el('span', { class: 'muted' }, ` (a copy attributed to ${doc.attributedTo})`) : ''];
  }
  return [...sourceLine(doc), el('span', { class: 'supports' }, ` — supports: “${span.excerpt}”`)];
}

/** A list of cited spans, or nothing when there are none. */
export const evidenceList = (spans, attrs = {}) => (spans?.length ? el('ul', { class: 'cited', ...attrs }, spans.map((s) => el('li', {}, evidenceNode(s)))) : '');
