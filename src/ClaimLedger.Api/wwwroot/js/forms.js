// The checker's actions on a claim, one form each. Every form keeps what was typed until the ledger accepted it: after
// a 400 each field's error stands next to the field; after a 412 the form says what changed meanwhile and submits on
// the fresh version when asked again.
import { el, toast, uniqueId } from './dom.js';
import { api } from './api.js';
import {
  ratings, onScale, attributions, fieldLabel, fieldsOfKind, stances, asPrinted, eventWords, timeWords, valueWords,
} from './words.js';
import { setEvidenceTarget, clearEvidenceTarget } from './workbench.js';
import { showErrors, clearErrors, errorBox } from './errors.js';
import { evidenceNode } from './sources.js';

const field = (label, control, hint) => {
  const id = control.id || (control.id = uniqueId('f'));
  const hintNode = hint ? el('span', { class: 'hint', id: `${id}-hint` }, hint) : '';
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', { class: 'field' }, el('label', { for: id }, label), hintNode, control);
};

const choice = (name, options, { required = true, placeholder } = {}) => el('select', { name, required },
  placeholder ? el('option', { value: '' }, placeholder) : '',
  Object.entries(options).map(([value, text]) => el('option', { value }, text)));

const text = (name, label, { rows = 3, required = true, hint } = {}) => field(label, el('textarea', { name, rows, required }), hint);

/** The non-empty lines of a text area: "sources tried", one per line. */
const lines = (value) => String(value || '').split('\n').map((l) => l.trim()).filter(Boolean);

const triedHint = 'One per line: each archive, transcript or database searched, and what was searched for.';

/**
 * One action form inside a disclosure. evidence: 'none', 'one' (a single span) or 'many'.
 * needsEvidence(data): whether the form may not be sent without a span (checked here, and again by the ledger).
 * ctx: { claim, version(), reload(), refresh(currentVersion) → events written since the given version }.
 */
function actionForm(ctx, {
  id, title, intro, fields, evidence = 'none', needsEvidence = () => false, evidenceName = 'evidence', evidenceLegend, evidenceHint,
  body, path, confirm, onChange,
}) {
  const cited = [];
  const list = el('ul', { class: 'evidence-list', 'aria-live': 'polite' });
  const conflict = el('div', { class: 'conflict form-conflict', hidden: true, role: 'alert', tabindex: -1 });
  const errors = errorBox();
  const submit = el('button', { type: 'submit' }, title);
  let decidedOn = ctx.version();

  const renderEvidence = () => {
    list.replaceChildren(...cited.map((span, i) => el('li', {},
      evidenceNode(span),
      el('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove ${evidence === 'one' ? 'the selected text' : `evidence ${i + 1}`}`, onclick: () => { cited.splice(i, 1); renderEvidence(); } }, 'Remove'))));
    if (!cited.length) list.append(el('li', { class: 'muted' }, evidence === 'one' ? 'Nothing selected yet.' : 'No evidence yet.'));
  };

  const target = {
    title,
    add: (span) => {
      if (evidence === 'one') cited.splice(0, cited.length);
      if (!cited.some((c) => c.documentId === span.documentId && c.start === span.start && c.end === span.end)) cited.push(span);
      renderEvidence();
      toast(`Added to “${title}”: ${asPrinted(span)}`, true);
    },
  };

  const evidenceBox = evidence === 'none' ? '' : el('fieldset', { class: 'evidence', 'data-error-for': evidenceName, tabindex: -1 },
    el('legend', {}, evidenceLegend || (evidence === 'one' ? 'Source' : 'Evidence')),
    el('p', { class: 'hint' }, evidenceHint || 'Select text in any document on this page (or use “Select by typing the words”), then choose “Add as evidence”.'),
    list);

  const form = el('form', { id, class: 'action', onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    clearErrors(form);
    if (needsEvidence(data) && !cited.length) {
      showErrors(form, { status: 400, problem: { errors: { [evidenceName]: [evidence === 'one' ? 'select the words in a document first' : 'select at least one piece of evidence in a document first'] } } });
      return;
    }
    if (confirm && !(await confirm(data))) return;
    submit.disabled = true;
    try {
      const refs = cited.map(({ documentId, start, end, excerpt }) => ({ documentId, start, end, excerpt }));
      const { data: result } = await api(`/claims/${encodeURIComponent(ctx.claim.id)}/${path}`, { method: 'POST', body: body(data, refs), ifMatch: ctx.version() });
      clearEvidenceTarget(target);
      toast(`Saved: the claim is now at version ${result.version}.`, true);
      await ctx.reload();
    } catch (error) {
      if (error.status === 412) {
        const meanwhile = await ctx.refresh(error.problem.currentVersion, decidedOn);
        conflict.hidden = false;
        conflict.replaceChildren(
          el('p', {}, `Not saved: someone changed this claim while you were writing (it is now at version ${ctx.version()}). Everything you typed is kept below. What changed meanwhile:`),
          el('ul', {}, meanwhile.map((m) => el('li', {}, `Version ${m.version}: ${eventWords(m)} by ${m.actor}, `, timeWords(m.timestamp), m.reason ? ` — “${m.reason}”` : ''))),
          el('p', {}, 'Check that your action still makes sense, then submit again.'));
        decidedOn = ctx.version();
        submit.textContent = `${title} on version ${ctx.version()}`;
        conflict.focus();
      } else {
        showErrors(form, error);
      }
    } finally {
      submit.disabled = false;
    }
  } },
  intro ? el('p', { class: 'muted' }, intro) : '', conflict, fields, evidenceBox, errors, submit);
  renderEvidence();
  if (onChange) { form.addEventListener('change', () => onChange(form)); onChange(form); }

  const details = el('details', { class: 'card action-card', id: `${id}-box` }, el('summary', {}, title), form);
  details.addEventListener('toggle', () => {
    if (details.open) {
      document.querySelectorAll('details.action-card[open]').forEach((d) => { if (d !== details) d.open = false; });
      setEvidenceTarget(evidence !== 'none' ? target : null);
    } else {
      clearEvidenceTarget(target);
    }
  });
  return details;
}

/** Asks for the reason in a modal dialog before a retraction, which cannot be undone. */
function confirmRetraction(claim, data) {
  return new Promise((resolve) => {
    const reasonId = uniqueId('retract-reason');
    const reason = el('textarea', { id: reasonId, rows: 3, required: true }, data.get('reason') || '');
    const dialog = el('dialog', { id: 'retract-dialog', 'aria-labelledby': 'retract-title' },
      el('form', { method: 'dialog', class: 'action', onsubmit: (e) => {
        e.preventDefault();
        if (!reason.value.trim()) { reason.focus(); return; }
        data.set('reason', reason.value.trim());
        dialog.close('retract');
      } },
      el('h2', { id: 'retract-title' }, 'Retract this claim?'),
      el('p', {}, `“${claim.statement}” will accept no further changes. Its history stays readable. This cannot be undone.`),
      el('label', { for: reasonId }, 'Why is it retracted? (required, kept in the ledger)'), reason,
      el('div', { class: 'row' },
        el('button', { type: 'submit', class: 'danger', id: 'confirm-retract' }, 'Retract the claim'),
        el('button', { type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') }, 'Cancel'))));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'retract'); });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
}

/** The claim's current value of a field, as the forms show it next to the chooser. */
const claimedValue = (claim, name) => (name === 'statement' ? claim.statement : valueWords(name, claim.value?.[name], claim.value));

/** A field chooser that says, under it, what the claim holds in the chosen field now. */
function fieldChooser(claim, label, hintPrefix) {
  const names = ['statement', ...fieldsOfKind[claim.kind]];
  const select = choice('field', Object.fromEntries(names.map((f) => [f, fieldLabel(f)])), { placeholder: 'Choose a field' });
  const now = el('span', { class: 'hint now', 'aria-live': 'polite' });
  select.addEventListener('change', () => { now.textContent = select.value ? `${hintPrefix}: “${claimedValue(claim, select.value)}”` : ''; });
  const node = field(label, select);
  node.append(now);
  return node;
}

const valueHint = 'Amounts may use scale words (1.28 trillion); dates are 2018-04-05, 2018-04 or 2018.';

/** Every action a checker can take on the claim today. */
export function claimActions(ctx) {
  const { claim } = ctx;
  if (claim.status === 'Retracted') return el('div', { class: 'card' }, el('p', {}, 'This claim was retracted; it accepts no further changes.'));
  const isQuote = claim.kind === 'Quote';
  const needsAttribution = isQuote && !claim.attribution;
  return el('div', { id: 'actions' },
    el('h2', {}, 'Actions'),
    isQuote ? actionForm(ctx, {
      id: 'attribution-form', title: 'Check the attribution', path: 'attribution', evidence: 'many',
      intro: 'Did the speaker say these words? This is apart from whether what they said is true.',
      fields: [
        field('Result', choice('result', attributions, { placeholder: 'Choose a result' })),
        text('note', 'Note', { hint: 'What the record shows: the words actually said, where and when.' }),
        text('sourcesTried', 'Sources tried', { rows: 3, required: false, hint: `${triedHint} Required for “Not found”.` })],
      needsEvidence: (d) => d.get('result') && d.get('result') !== 'NotFound',
      evidenceHint: 'Select the record of what was said (a transcript, a recording’s page) in a document other than the article. Not needed for “Not found”.',
      onChange: (form) => { form.elements.sourcesTried.required = form.elements.result.value === 'NotFound'; },
      body: (d, evidence) => ({ result: d.get('result'), note: d.get('note'), evidence, sourcesTried: lines(d.get('sourcesTried')) }),
    }) : '',
    actionForm(ctx, {
      id: 'verdict-form', title: 'Issue verdict', path: 'verdicts', evidence: 'many',
      intro: needsAttribution
        ? 'This quote’s attribution has not been checked yet: check it first (above), then rate what the quote asserts.'
        : 'The verdict rates the claim as published. True to False need evidence from another document and another publisher.',
      fields: [
        field('Rating', choice('rating', ratings, { placeholder: 'Choose a rating' }),
          'Opinion: not rated, as it asserts nothing checkable. Unverifiable: say which sources were tried.'),
        text('rationale', 'Rationale', { rows: 4 }),
        el('div', { class: 'tried-box', hidden: true }, text('sourcesTried', 'Sources tried', { rows: 3, required: false, hint: triedHint }))],
      needsEvidence: (d) => onScale(d.get('rating')),
      onChange: (form) => {
        const unverifiable = form.elements.rating.value === 'Unverifiable';
        form.querySelector('.tried-box').hidden = !unverifiable;
        form.elements.sourcesTried.required = unverifiable;
      },
      body: (d, evidence) => {
        const rating = d.get('rating');
        return { rating, rationale: d.get('rationale'), evidence, sourcesTried: rating === 'Unverifiable' ? lines(d.get('sourcesTried')) : [] };
      },
    }),
    actionForm(ctx, {
      id: 'finding-form', title: 'Record a finding', path: 'findings', evidence: 'many', needsEvidence: () => true,
      intro: 'What the evidence establishes for one field. The claim as published stays as it is; the finding stands beside it.',
      fields: [
        fieldChooser(claim, 'Field', 'Claimed'),
        field('Established value', el('input', { name: 'established', autocomplete: 'off', required: true }), `${valueHint} The same as claimed confirms the field.`),
        text('note', 'Note', { rows: 2, hint: 'How the evidence settles it, in a sentence.' })],
      evidenceHint: 'Select the evidence in a document from another publisher than the article (for example a cited source’s fact).',
      body: (d, evidence) => ({ field: d.get('field'), established: d.get('established'), note: d.get('note'), evidence }),
    }),
    actionForm(ctx, {
      id: 'source-form', title: 'Attach a source', path: 'sources', evidence: 'one', needsEvidence: () => true, evidenceName: 'source',
      fields: [field('What the source does', choice('stance', Object.fromEntries(Object.entries(stances).map(([k, v]) => [k, `It ${v}`])))), text('reason', 'Note (optional)', { rows: 2, required: false })],
      body: (d, [source]) => ({ source, stance: d.get('stance'), reason: d.get('reason') || null }),
    }),
    actionForm(ctx, {
      id: 'corroborate-form', title: 'Corroborate', path: 'corroborations', evidence: 'one', needsEvidence: () => true, evidenceName: 'source',
      intro: 'The source must come from a publisher not already on the claim.',
      fields: [text('reason', 'Note (optional)', { rows: 2, required: false })],
      body: (d, [source]) => ({ source, reason: d.get('reason') || null }),
    }),
    actionForm(ctx, {
      id: 'dispute-form', title: 'Dispute', path: 'disputes', evidence: 'many',
      fields: [text('reason', 'Why is it disputed?')],
      body: (d, evidence) => ({ reason: d.get('reason'), evidence }),
    }),
    actionForm(ctx, {
      id: 'amend-form', title: 'Amend the record', path: 'amendments', evidence: 'one', needsEvidence: () => true, evidenceName: 'appearance',
      intro: 'Only when the ledger misread the article: the record is made to say what was printed. To say what is true, record a finding instead.',
      fields: [
        fieldChooser(claim, 'Field', 'The ledger has'),
        field('As printed', el('input', { name: 'newValue', autocomplete: 'off', required: true }), valueHint),
        text('reason', 'What was misread', { rows: 2 })],
      evidenceLegend: 'Where it is printed',
      evidenceHint: 'Select the printed words in the claim’s own article (under “Sources in their documents”, where the claim is marked).',
      body: (d, [appearance]) => ({ field: d.get('field'), newValue: d.get('newValue'), reason: d.get('reason'), appearance }),
    }),
    actionForm(ctx, {
      id: 'retract-form', title: 'Retract…', path: 'retraction',
      intro: 'For a claim recorded by mistake. You will be asked to confirm.',
      fields: [text('reason', 'Reason', { rows: 2, required: false })],
      confirm: (data) => confirmRetraction(claim, data),
      body: (d) => ({ reason: d.get('reason') }),
    }));
}
