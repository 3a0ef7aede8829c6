// Documents: the list, registering one (pasted, or a .txt/.html file turned into text by the server), and the article
// view with every cited span marked and linked, where selecting text records a claim or cites it.
import { el, showPage, main, toast, uniqueId } from './dom.js';
import { api, problemText } from './api.js';
import { statuses, ratings, asPrinted } from './words.js';
import { textBox, watchSelection, selectSpan } from './selection.js';
import { selectionPanel } from './workbench.js';
import { recordClaimForm } from './record.js';
import { scrollToFirstMark } from './claim.js';
import { citedSourceForm } from './cited.js';
import { showErrors, clearErrors, errorBox } from './errors.js';
import { sourceLine } from './sources.js';

const docPath = (id) => `/documents/${encodeURIComponent(id)}`;
const documentKinds = { Article: 'Article', Evidence: 'Evidence', Cited: 'Cited source' };

export async function showDocuments() {
  const status = el('p', { class: 'muted', role: 'status' }, 'Loading…');
  showPage('Documents', el('p', {}, el('a', { href: '#/documents/new', class: 'button' }, 'Register a document')), status);
  try {
    const { data } = await api('/documents');
    status.textContent = `${data.length} document(s)`;
    main().append(el('table', { id: 'documents', class: 'stack' },
      el('thead', {}, el('tr', {}, ['Document', 'Publisher', 'Published', 'Kind'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, data.map((d) => el('tr', {},
        el('td', { 'data-label': 'Document' }, el('a', { href: `#${docPath(d.id)}` }, d.title), el('div', { class: 'muted small' }, d.id)),
        el('td', { 'data-label': 'Publisher' }, d.publisher),
        el('td', { 'data-label': 'Published' }, d.publishedOn || 'date not given'),
        el('td', { 'data-label': 'Kind' }, documentKinds[d.kind] || d.kind))))));
  } catch (error) {
    status.className = 'conflict';
    status.textContent = problemText(error);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function showRegister(params = new URLSearchParams()) {
  const cited = params.get('kind') === 'cited';
  const choices = el('nav', { class: 'row tabs', 'aria-label': 'What to register' },
    el('a', { href: '#/documents/new', 'aria-current': cited ? undefined : 'page' }, 'A full text (article, transcript, note)'),
    el('a', { href: '#/documents/new?kind=cited', 'aria-current': cited ? 'page' : undefined }, 'A cited source (URL and the facts it supports)'));
  if (cited) {
    showPage('Register a cited source', choices,
      el('p', { class: 'hint' }, 'For a source you cite rather than copy: a ministry transcript, an agency report, a voting record.'),
      citedSourceForm({ id: 'register-cited-form', onRegistered: (documentId) => { location.hash = `#${docPath(documentId)}`; } }));
    return;
  }
  const input = (name, label, attrs = {}, hint) => {
    const id = uniqueId(name);
    return el('div', { class: 'field' }, el('label', { for: id }, label), hint ? el('span', { class: 'hint', id: `${id}-hint` }, hint) : '',
      el('input', { id, name, ...attrs, 'aria-describedby': hint ? `${id}-hint` : undefined }));
  };
  const text = el('textarea', { id: 'doc-text', name: 'text', rows: 14, required: true });
  const fileStatus = el('p', { class: 'hint', role: 'status' });
  const file = el('input', { id: 'doc-file', type: 'file', accept: '.txt,.html,.htm,text/plain,text/html' });
  const form = el('form', { class: 'action register', id: 'register-form' },
    el('div', { class: 'field' }, el('label', { for: 'doc-text' }, 'Text of the document'),
      el('span', { class: 'hint' }, 'Paste the text, or load a file below. The text is registered exactly as shown here and never changes.'), text),
    el('div', { class: 'field' }, el('label', { for: 'doc-file' }, 'Or load a .txt or .html file'), file, fileStatus),
    input('publisher', 'Publisher', { required: true }),
    input('title', 'Title', { required: true }),
    input('publishedOn', 'Publication date', { type: 'date' }),
    input('url', 'URL', { type: 'url', placeholder: 'https://…' }),
    el('div', { class: 'field' }, el('label', { for: 'doc-kind' }, 'Kind'), el('select', { id: 'doc-kind', name: 'kind' },
      el('option', { value: 'Article' }, 'Article (where claims appear)'), el('option', { value: 'Evidence' }, 'Evidence (a record, transcript or note)'))),
    input('id', 'Id (optional)', { pattern: '[a-z0-9]+(-[a-z0-9]+)*' }, 'Lower-case words joined by hyphens; made from the publisher and title when left empty.'),
    errorBox(),
    el('button', { type: 'submit' }, 'Register the document'));

  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    let content;
    try { content = strictUtf8.decode(await chosen.arrayBuffer()); } catch {
      fileStatus.textContent = `${chosen.name} is not UTF-8 text; save it as UTF-8 and load it again.`;
      return;
    }
    if (/\.html?$/i.test(chosen.name) || chosen.type === 'text/html') {
      try {
        const { data } = await api('/workbench/text-from-html', { method: 'POST', body: { html: content } });
        text.value = data.text;
        const fill = (name, value) => { const f = form.elements[name]; if (value && !f.value) f.value = value; };
        fill('title', data.title); fill('publisher', data.publisher); fill('publishedOn', data.publishedOn); fill('url', data.url);
        fileStatus.textContent = `Turned ${chosen.name} into plain text (${data.text.length} characters). Check it, and the details below, before registering.`;
      } catch (error) { fileStatus.textContent = problemText(error); }
    } else {
      text.value = content;
      fileStatus.textContent = `Loaded ${chosen.name} (${content.length} characters).`;
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const d = new FormData(form);
    const body = {
      id: d.get('id') || null, publisher: d.get('publisher'), title: d.get('title'), publishedOn: d.get('publishedOn') || null,
      url: d.get('url') || null, kind: d.get('kind'), text: d.get('text'),
    };
    try {
      const { data } = await api('/documents', { method: 'POST', body });
      toast(data.created ? `Registered “${body.title}”.` : 'This document was already registered; nothing changed.', true);
      location.hash = `#${docPath(data.documentId)}`;
    } catch (error) { showErrors(form, error); }
  });
  showPage('Register a document', choices, form);
}

const roleWords = {
  Appearance: 'claim appears here', Source: 'source', Corroboration: 'corroborates', VerdictEvidence: 'verdict evidence',
  FindingEvidence: 'evidence for a finding', AttributionEvidence: 'evidence of who said it',
};

export async function showDocument(id, params) {
  let doc;
  let citations;
  try {
    [{ data: doc }, { data: citations }] = await Promise.all([api(docPath(id)), api(`${docPath(id)}/citations`)]);
  } catch (error) {
    showPage('Document not shown', el('p', { class: 'conflict' }, problemText(error)));
    return;
  }
  const spans = citations.map((c) => ({ ...c, kind: c.role === 'Appearance' ? 'appearance' : 'evidence', title: `${c.statement} (${roleWords[c.role]})` }));
  const box = textBox(doc, spans, { label: `Text of ${doc.title}`, onMarkClick: (c) => { location.hash = `#/claims/${encodeURIComponent(c.claimId)}`; } });
  const formSlot = el('div', { id: 'record-slot' }, el('div', { class: 'card' }, el('h2', {}, 'Record a claim'),
    el('p', {}, 'Select a passage of the text (or use “Select by typing the words”), then choose “Record a claim from this”.')));
  const panel = selectionPanel((span) => [el('button', { type: 'button', id: 'record-from-selection', onclick: () => {
    formSlot.replaceChildren(recordClaimForm(doc, span));
    formSlot.querySelector('textarea, input')?.focus();
  } }, 'Record a claim from this')]);

  const meta = doc.kind === 'Cited' ? el('p', { class: 'muted' }, 'Cited source: ', sourceLine(doc), ' · id ', el('code', {}, doc.id)) : el('p', { class: 'muted' }, `${doc.publisher}`, doc.publishedOn ? `, ${doc.publishedOn}` : ', date not given',
    doc.url ? [' · ', el('a', { href: doc.url, rel: 'noopener noreferrer' }, 'original')] : '', doc.attributedTo ? ` · attributed to ${doc.attributedTo}` : '', ` · ${doc.kind === 'Evidence' ? 'evidence' : 'article'} · id `, el('code', {}, doc.id),
    ` · SHA-256 `, el('code', { class: 'hash' }, doc.sha256));
  const list = citations.length
    ? el('ul', { class: 'cited', id: 'citations' }, citations.map((c) => el('li', {},
      el('a', { href: `#/claims/${encodeURIComponent(c.claimId)}` }, c.statement), ` — ${roleWords[c.role]}; `,
      c.rating ? ratings[c.rating] : statuses[c.status], ', ', asPrinted({ publisher: doc.publisher, excerpt: doc.text.slice(c.start, c.end) }))))
    : el('p', { class: 'muted' }, 'No claim cites this document yet.');
  showPage(doc.title, meta,
    el('p', { class: 'hint' }, 'Select a sentence to record a claim from it. Marked text is already cited (yellow: where a claim appears; blue: evidence; purple: both); hover to see which claim, click to open it, or use the list below the text.'),
    el('div', { class: 'grid' },
      el('div', {}, box, watchSelection(box, doc, panel.show), el('h2', {}, 'Claims and evidence in this document'), list),
      el('div', { class: 'side' }, formSlot)),
    panel.node);

  const wanted = /^(\d+)-(\d+)$/.exec(params.get('span') || '');
  if (wanted) selectSpan(box, Number(wanted[1]), Number(wanted[2]));
  else scrollToFirstMark(box);
}
