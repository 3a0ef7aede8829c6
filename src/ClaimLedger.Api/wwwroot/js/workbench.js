// What a selection can be used for: the form that is open and takes evidence, and the panel that offers the choices.
import { el } from './dom.js';

let target = null;
const listeners = new Set();

/** The open form that collects evidence ({ title, add(span) }), or null. */
export function setEvidenceTarget(next) {
  target = next;
  listeners.forEach((l) => l());
}

export const clearEvidenceTarget = (form) => { if (target === form) setEvidenceTarget(null); };

/**
 * A panel that shows the latest selection and what can be done with it: add it as evidence to the open form, and
 * whatever extra actions the page offers (record a claim from it, on an article).
 */
export function selectionPanel(extraActions = () => []) {
  const panel = el('div', { class: 'selection-panel', role: 'region', 'aria-label': 'Selected text', hidden: true });
  let span = null;
  const render = () => {
    if (!span) { panel.hidden = true; return; }
    panel.hidden = false;
    const actions = [...extraActions(span)];
    if (target) {
      actions.unshift(el('button', { type: 'button', class: 'add-evidence', onclick: () => { target.add(span); panel.hidden = true; span = null; } },
        `Add as evidence to “${target.title}”`));
    }
    if (!actions.length) actions.push(el('span', { class: 'muted' }, 'Open a form (for example Issue verdict) to cite this text as evidence.'));
    panel.replaceChildren(
      el('p', { class: 'selected-excerpt' }, el('strong', {}, 'Selected: '), `“${span.excerpt.length > 300 ? `${span.excerpt.slice(0, 300)}…` : span.excerpt}”`),
      el('div', { class: 'row' }, actions));
  };
  const onTarget = () => { if (!panel.isConnected) listeners.delete(onTarget); else render(); };
  listeners.add(onTarget);
  // Selected from the keyboard, the choices take the focus, so the next key press acts on them.
  return { node: panel, show: (next, { keyboard = false } = {}) => { span = next; render(); if (keyboard) panel.querySelector('button')?.focus(); } };
}
