// A refused write shown where the checker can fix it: each field's error next to that field, the rest above the
// submit button; what was typed stays as it was.
import { el, uniqueId } from './dom.js';
import { fieldWords } from './words.js';
import { problemText } from './api.js';

/** Removes the errors shown by an earlier attempt. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((node) => node.remove());
  form.querySelectorAll('[aria-describedby*="err-"]').forEach((control) => {
    control.removeAttribute('aria-invalid');
    const kept = (control.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.startsWith('err-'));
    if (kept.length) control.setAttribute('aria-describedby', kept.join(' ')); else control.removeAttribute('aria-describedby');
  });
  form.querySelector('.form-errors')?.replaceChildren();
  form.querySelector('.form-errors')?.setAttribute('hidden', '');
}

/** Where the error of a request field belongs: the control of that name, or a box marked data-error-for it. */
function placeOf(form, key) {
  const candidates = [key, key.replace(/\[\d+\]/g, ''), key.split(/[.[]/)[0]];
  for (const name of candidates) {
    const box = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (box) return { box, control: box };
    const control = form.elements.namedItem(name);
    if (control instanceof Element) return { box: control.closest('.field') || control.parentElement, control };
  }
  return null;
}

/**
 * Shows an API error on the form. A 400 puts each field's messages next to the field; anything else (a broken rule,
 * a field the form does not show) goes to the form's error box. Returns the node to focus.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const general = [];
  let first = null;
  for (const [key, messages] of Object.entries(error.problem?.errors || {})) {
    const place = placeOf(form, key);
    if (!place) { general.push(`${fieldWords(key)}: ${messages.join(', ')}`); continue; }
    const id = `err-${uniqueId('field')}`;
    const where = /\[(\d+)\]/.exec(key);
    place.box.append(el('p', { class: 'field-error', id }, `${where && place.control.tagName === 'FIELDSET' ? `${fieldWords(key)}: ` : ''}${messages.join(', ')}`));
    const control = place.control;
    // aria-invalid belongs on controls only; a group of evidence is described by its error instead.
    if (control.tagName !== 'FIELDSET') control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    first ??= control;
  }
  if (!error.problem?.errors) general.push(problemText(error));
  const box = form.querySelector('.form-errors');
  if (box) {
    const lead = error.status === 400 ? 'Not saved: fix what is marked, then submit again. Everything you typed is kept.' : 'Not saved.';
    box.hidden = false;
    box.replaceChildren(el('p', {}, el('strong', {}, lead)), general.length ? el('ul', {}, general.map((g) => el('li', {}, g))) : '');
  }
  const target = first || box;
  target?.focus?.();
  return target;
}

/** The box a form keeps above its submit button for errors that belong to no single field. */
export const errorBox = () => el('div', { class: 'form-errors', role: 'alert', tabindex: -1, hidden: true });
