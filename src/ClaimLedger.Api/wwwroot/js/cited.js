// Registering a cited source: a page or record the checker cites rather than copies (URL, publisher, title, dates,
// an archived copy) with the facts it supports in the checker's words, one per line. Evidence then cites one fact.
import { el, toast, uniqueId } from './dom.js';
import { api } from './api.js';
import { showErrors, clearErrors, errorBox } from './errors.js';

const today = () => new Date().toISOString().slice(0, 10);

/** The form; onRegistered(documentId) runs once the ledger has the source. */
export function citedSourceForm({ id = 'cited-form', onRegistered }) {
  const input = (name, label, attrs = {}, hint) => {
    const inputId = uniqueId(`${id}-${name}`);
    return el('div', { class: 'field' }, el('label', { for: inputId }, label),
      hint ? el('span', { class: 'hint', id: `${inputId}-hint` }, hint) : '',
      el('input', { id: inputId, name, autocomplete: 'off', ...attrs, 'aria-describedby': hint ? `${inputId}-hint` : undefined }));
  };
  const factsId = uniqueId(`${id}-facts`);
  const submit = el('button', { type: 'submit' }, 'Register the cited source');
  const form = el('form', { id, class: 'action register' },
    input('url', 'URL', { type: 'url', required: true, placeholder: 'https://…' }, 'The page a reader can open to check the facts.'),
    input('publisher', 'Publisher', { required: true }, 'Who published it: the ministry, agency or newspaper.'),
    input('title', 'Title', { required: true }),
    input('publishedOn', 'Publication date', { type: 'date', required: true }),
    input('retrievedOn', 'Date retrieved', { type: 'date', required: true, value: today() }, 'When you read it.'),
    input('archiveUrl', 'Archive URL (optional)', { type: 'url', placeholder: 'https://web.archive.org/…' }, 'A copy that will not change, if there is one.'),
    el('div', { class: 'field' }, el('label', { for: factsId }, 'The facts it supports'),
      el('span', { class: 'hint', id: `${factsId}-hint` }, 'In your own words, one fact per line. Evidence cites one of these lines.'),
      el('textarea', { id: factsId, name: 'text', rows: 4, required: true, 'aria-describedby': `${factsId}-hint` })),
    errorBox(),
    submit);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const d = new FormData(form);
    const facts = String(d.get('text')).split('\n').map((l) => l.trim()).filter(Boolean);
    const body = {
      kind: 'Cited', url: d.get('url'), publisher: d.get('publisher'), title: d.get('title'), publishedOn: d.get('publishedOn') || null,
      retrievedOn: d.get('retrievedOn') || null, archiveUrl: d.get('archiveUrl') || null, text: facts.join('\n'),
    };
    submit.disabled = true;
    try {
      const { data } = await api('/documents', { method: 'POST', body });
      toast(data.created ? `Registered “${body.title}”.` : 'This source was already registered; nothing changed.', true);
      await onRegistered(data.documentId);
    } catch (error) {
      showErrors(form, error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
