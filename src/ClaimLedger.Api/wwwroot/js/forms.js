// The checker's actions on a claim, one form each. Every form keeps what was typed until the ledger accepted it: after
// a 412 it stays as it was, says what changed meanwhile, and submits on the fresh version when asked again.
import { el, toast, uniqueId } from './dom.js';
import { api, problemText } from './api.js';
import { ratings, fieldLabel, fieldsOfKind, stances, asPrinted, eventWords, timeWords } from './words.js';
import { setEvidenceTarget, clearEvidenceTarget } from './workbench.js';

const field = (label, control, hint) => {
  const id = control.id || (control.id = uniqueId('f'));
  const hintNode = hint ? el('span', { class: 'hint', id: `${id}-hint` }, hint) : '';
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return el('div', { class: 'field' }, el('label', { for: id }, label), hintNode, control);
};

const choice = (name, options, { required = true, placeholder } = {}) => el('select', { name, required },
  placeholder ? el('option', { value: '' }, placeholder) : '',
  Object.entries(options).map(([value, text]) => el('option', { value }, text)));

/**
 * One action form inside a disclosure. evidence: 'none', 'one' (a single source) or 'many'.
 * ctx: { claim, version(), reload(), refresh(currentVersion) → events written since the given version }.
 */
function actionForm(ctx, { id, title, intro, fields, evidence = 'none', evidenceRequired = false, body, path, confirm }) {
  const cited = [];
  const list = el('ul', { class: 'evidence-list', 'aria-live': 'polite' });
  const conflict = el('div', { class: 'conflict form-conflict', hidden: true, role: 'alert' });
  const submit = el('button', { type: 'submit' }, title);
  let decidedOn = ctx.version();

  const renderEvidence = () => {
    list.replaceChildren(...cited.map((span, i) => el('li', {},
      el('span', {}, asPrinted(span)),
      el('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove evidence ${i + 1}`, onclick: () => { cited.splice(i, 1); renderEvidence(); } }, 'Remove'))));
    if (!cited.length) list.append(el('li', { class: 'muted' }, evidence === 'one' ? 'No source chosen yet.' : 'No evidence yet.'));
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

  const form = el('form', { id, class: 'action', novalidate: false, onsubmit: async (e) => {
    e.preventDefault();
    if (evidenceRequired && !cited.length) {
      toast(evidence === 'one' ? 'Select the source text in a document first.' : 'Select at least one piece of evidence in a document first.');
      return;
    }
    const data = new FormData(form);
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
          el('ul', {}, meanwhile.map((e) => el('li', {}, `Version ${e.version}: ${eventWords(e)} by ${e.actor}, `, timeWords(e.timestamp), e.reason ? ` — “${e.reason}”` : ''))),
          el('p', {}, 'Check that your action still makes sense, then submit again.'));
        decidedOn = ctx.version();
        submit.textContent = `${title} on version ${ctx.version()}`;
        conflict.focus?.();
      } else {
        toast(problemText(error));
      }
    } finally {
      submit.disabled = false;
    }
  } },
  intro ? el('p', { class: 'muted' }, intro) : '', conflict, fields,
  evidence === 'none' ? '' : el('fieldset', { class: 'evidence' },
    el('legend', {}, evidence === 'one' ? 'Source' : 'Evidence'),
    el('p', { class: 'hint' }, 'Select text in any document on this page (or use “Select by typing the words”), then choose “Add as evidence”.'),
    list),
  submit);
  conflict.tabIndex = -1;
  renderEvidence();

  const details = el('details', { class: 'card action-card', id: `${id}-box` }, el('summary', {}, title), form);
  details.addEventListener('toggle', () => {
    if (details.open) {
      document.querySelectorAll('details.action-card[open]').forEach((d) => { if (d !== details) d.open = false; });
      if (evidence !== 'none') setEvidenceTarget(target); else setEvidenceTarget(null);
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

/** Every action a checker can take on the claim today. */
export function claimActions(ctx) {
  const { claim } = ctx;
  if (claim.status === 'Retracted') return el('div', { class: 'card' }, el('p', {}, 'This claim was retracted; it accepts no further changes.'));
  const text = (name, label, rows = 3, required = true, hint) => field(label, el('textarea', { name, rows, required }), hint);
  const correctable = ['statement', ...fieldsOfKind[claim.kind]];
  return el('div', { id: 'actions' },
    el('h2', {}, 'Actions'),
    actionForm(ctx, {
      id: 'verdict-form', title: 'Issue verdict', path: 'verdicts', evidence: 'many', evidenceRequired: true,
      intro: 'A verdict needs evidence beyond the claim’s own appearance.',
      fields: [field('Rating', choice('rating', ratings, { placeholder: 'Choose a rating' })), text('rationale', 'Rationale', 4)],
      body: (d, evidence) => ({ rating: d.get('rating'), rationale: d.get('rationale'), evidence }),
    }),
    actionForm(ctx, {
      id: 'source-form', title: 'Attach a source', path: 'sources', evidence: 'one', evidenceRequired: true,
      fields: [field('What the source does', choice('stance', Object.fromEntries(Object.entries(stances).map(([k, v]) => [k, `It ${v}`])))), text('reason', 'Note (optional)', 2, false)],
      body: (d, [source]) => ({ source, stance: d.get('stance'), reason: d.get('reason') || null }),
    }),
    actionForm(ctx, {
      id: 'corroborate-form', title: 'Corroborate', path: 'corroborations', evidence: 'one', evidenceRequired: true,
      intro: 'The source must come from a publisher not already on the claim.',
      fields: [text('reason', 'Note (optional)', 2, false)],
      body: (d, [source]) => ({ source, reason: d.get('reason') || null }),
    }),
    actionForm(ctx, {
      id: 'dispute-form', title: 'Dispute', path: 'disputes', evidence: 'many',
      fields: [text('reason', 'Why is it disputed?', 3)],
      body: (d, evidence) => ({ reason: d.get('reason'), evidence }),
    }),
    actionForm(ctx, {
      id: 'correct-form', title: 'Correct a field', path: 'corrections', evidence: 'many',
      fields: [
        field('Field to correct', choice('field', Object.fromEntries(correctable.map((f) => [f, fieldLabel(f)])), { placeholder: 'Choose a field' })),
        field('Corrected value', el('input', { name: 'newValue', autocomplete: 'off' }), 'Amounts may use scale words (1.28 trillion); dates are 2018-04-05, 2018-04 or 2018.'),
        text('reason', 'Reason', 2)],
      body: (d, evidence) => ({ field: d.get('field'), newValue: d.get('newValue'), reason: d.get('reason'), evidence }),
    }),
    actionForm(ctx, {
      id: 'retract-form', title: 'Retract…', path: 'retraction',
      intro: 'For a claim recorded by mistake. You will be asked to confirm.',
      fields: [text('reason', 'Reason', 2, false)],
      confirm: (data) => confirmRetraction(claim, data),
      body: (d) => ({ reason: d.get('reason') }),
    }));
}
