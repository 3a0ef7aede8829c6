// "Record a claim" from a selected passage: the server suggests the kind and reads the value with its own parsers;
// the checker confirms or changes them, and sees how the ledger will read each field before recording.
import { el, toast, uniqueId } from './dom.js';
import { showPossiblyCheckedBefore } from './matches.js';
import { api, problemText } from './api.js';
import { kinds, fieldsOfKind, fieldLabel, valueWords, asPrinted } from './words.js';
import { showErrors, errorBox } from './errors.js';

const hints = {
  amount: 'A number, with a scale word if printed (1.28 trillion).', date: '2018-04-05, 2018-04 or 2018.', endDate: 'For a range: the last day, 2017-07-04.',
  count: 'A whole number.', period: 'The year or period the figure covers, if any.',
};

export function recordClaimForm(doc, span) {
  const form = el('form', { class: 'card action', id: 'record-form', 'aria-labelledby': 'record-title' });
  const fieldsBox = el('div', { id: 'record-fields' });
  const reading = el('p', { class: 'reading', id: 'record-reading', 'aria-live': 'polite' });
  const notes = el('ul', { class: 'hint', id: 'record-notes' });
  const statement = el('textarea', { id: 'record-statement', name: 'statement', rows: 3, required: true }, span.excerpt);
  const kind = el('select', { id: 'record-kind', name: 'kind' }, Object.entries(kinds).map(([k, v]) => el('option', { value: k }, v)));
  const claimId = el('input', { id: 'record-id', name: 'id', pattern: '[a-z0-9]+(-[a-z0-9]+)*', 'aria-describedby': 'record-id-hint' });
  let values = {};

  const renderFields = () => {
    fieldsBox.replaceChildren(...fieldsOfKind[kind.value].map((name) => {
      const id = uniqueId(`record-${name}`);
      const input = el('input', { id, name: `value.${name}`, value: values[name] ?? '', autocomplete: 'off', 'data-field': name,
        'aria-describedby': hints[name] ? `${id}-hint` : undefined });
      input.addEventListener('input', () => { values[name] = input.value; preview(); });
      return el('div', { class: 'field' }, el('label', { for: id }, fieldLabel(name)), hints[name] ? el('span', { class: 'hint', id: `${id}-hint` }, hints[name]) : '', input);
    }));
  };

  let pending;
  const preview = () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      if (kind.value === 'Statement') { reading.textContent = 'A statement has no structured fields.'; return; }
      try {
        const { data } = await api('/workbench/claim-value', { method: 'POST', body: { kind: kind.value, value: current() } });
        reading.replaceChildren(data.problems.length
          ? el('span', { class: 'problem' }, `Not yet readable: ${data.problems.map((p) => `${fieldLabel(p.field.replace('value.', ''))} — ${p.message}`).join('; ')}`)
          : `The ledger will read this as: ${Object.entries(data.value).filter(([k, v]) => v && k !== 'precision').map(([k, v]) => `${fieldLabel(k)} ${valueWords(k, v, data.value)}`).join(' · ')}`);
      } catch (error) { reading.textContent = problemText(error); }
    }, 200);
  };
  const current = () => Object.fromEntries(fieldsOfKind[kind.value].map((f) => [f, values[f]?.trim() || null]).filter(([, v]) => v !== null));

  kind.addEventListener('change', () => { renderFields(); preview(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      id: claimId.value || null, kind: kind.value, statement: statement.value, value: current(),
      appearance: { documentId: span.documentId, start: span.start, end: span.end, excerpt: span.excerpt },
    };
    try {
      const { data } = await api('/claims', { method: 'POST', body });
      toast('Claim recorded.', true);
      location.hash = `#/claims/${encodeURIComponent(data.claimId)}`;
    } catch (error) { showErrors(form, error); }
  });

  form.append(
    el('h2', { id: 'record-title' }, 'Record a claim'),
    el('p', { class: 'printed' }, asPrinted(span)),
    el('div', { class: 'field' }, el('label', { for: 'record-statement' }, 'Statement'),
      el('span', { class: 'hint' }, 'What the article claims, as printed. Edit it into one checkable sentence.'), statement),
    el('div', { class: 'field' }, el('label', { for: 'record-kind' }, 'Kind'), kind),
    notes, fieldsBox, reading,
    el('div', { class: 'field' }, el('label', { for: 'record-id' }, 'Claim id (optional)'),
      el('span', { class: 'hint', id: 'record-id-hint' }, 'Made from the statement when left empty.'), claimId),
    errorBox(),
    el('button', { type: 'submit' }, 'Record the claim'));

  renderFields();
  api('/workbench/claim-suggestion', { method: 'POST', body: { excerpt: span.excerpt, publishedOn: doc.publishedOn || null } })
    .then(({ data }) => {
      kind.value = data.kind;
      values = { ...data.value };
      if (statement.value === span.excerpt) statement.value = data.statement;
      notes.replaceChildren(...data.notes.map((n) => el('li', {}, n)));
      form.dataset.suggested = data.kind;
      lookForEarlierChecks();
      renderFields();
      preview();
    }, (error) => { notes.replaceChildren(el('li', {}, `No suggestion: ${problemText(error)}`)); });

  // While the checker words the statement: has the desk or another fact-checker checked this before?
  const earlier = el('section', { class: 'possibly-checked', id: 'record-earlier', 'aria-live': 'polite' }, el('h3', {}, 'Possibly checked before'));
  statement.parentElement.after(earlier);
  let lookup;
  function lookForEarlierChecks() {
    clearTimeout(lookup);
    lookup = setTimeout(() => { if (statement.value.trim()) showPossiblyCheckedBefore(earlier, statement.value); }, 400);
  }
  statement.addEventListener('input', lookForEarlierChecks);
  lookForEarlierChecks();
  return form;
}
