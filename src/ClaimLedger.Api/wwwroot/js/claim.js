// One claim: Claimed, Established and the verdict first, then a quote's attribution, the history in plain words, its
// state at any version, and the actions.
import { el, showPage, markData, markRendered } from './dom.js';
import { api, versionOf, problemText } from './api.js';
import {
  badge, kinds, statuses, fieldLabel, valueWords, describeValue, timeWords, eventWords, eventDetails, eventSpans, ratings, attributions,
  differs as differsFinding,
} from './words.js';
import { evidenceList, evidenceNode, forgetDocuments, describeSpan, sourceLine } from './sources.js';
import { textBox, watchSelection } from './selection.js';
import { selectionPanel } from './workbench.js';
import { claimActions } from './forms.js';
import { showPossiblyCheckedBefore } from './matches.js';
import { citedSourceForm } from './cited.js';

const claimPath = (id) => `/claims/${encodeURIComponent(id)}`;
export const articleLink = (source) => `#/documents/${encodeURIComponent(source.documentId)}?span=${source.start}-${source.end}`;

async function load(id) {
  const [{ data: claim, etag }, { data: history }] = await Promise.all([api(claimPath(id)), api(`${claimPath(id)}/history`)]);
  return { claim, history, version: versionOf(etag, claim.version) };
}

export async function showClaim(id) {
  forgetDocuments();
  let page;
  try {
    page = await load(id);
    markData('claim');
  } catch (error) {
    showPage('Claim not shown', el('p', { class: 'conflict' }, problemText(error)));
    return;
  }

  const notice = el('div', { id: 'conflict-slot' });
  const summary = el('div', { class: 'card', id: 'summary' });
  const attribution = el('section', { class: 'card', id: 'attribution-card', hidden: true });
  const state = el('section', { class: 'card', id: 'state-card' });
  const timeline = el('section', { class: 'card' });
  const compare = el('section', { class: 'card' });
  const sources = el('section', { class: 'card', id: 'sources' });
  const possiblyChecked = el('section', { class: 'card', id: 'possibly-checked' }, el('h2', {}, 'Possibly checked before'));
  const panel = selectionPanel();
  const reader = documentReader(panel);

  const render = () => {
    renderSummary(summary, page.claim);
    renderAttribution(attribution, page.claim);
    renderReplay(state, page.claim);
    renderTimeline(timeline, page.history);
    renderCompare(compare, page.claim);
    renderSources(sources, page.claim, panel);
  };

  const ctx = {
    claim: page.claim,
    version: () => page.version,
    reload: () => showClaim(id),
    refresh: async (currentVersion, since) => {
      page = await load(id);
      render();
      notice.replaceChildren(el('div', { class: 'conflict', id: 'conflict', role: 'alert' },
        `Someone else changed this claim first: it is now at version ${currentVersion ?? page.version}, not ${since}. Nothing of yours was written; your form still holds what you typed. The fresh state is shown.`));
      return page.history.filter((e) => e.version > since);
    },
  };

  showPage(page.claim.statement,
    el('p', { class: 'crumbs' }, el('a', { href: '#/' }, '← All claims'), el('span', { class: 'muted' }, ` · claim id `, el('code', { id: 'claim-id' }, page.claim.id)),
      // On a phone the actions come after the claim's whole story; this takes a checker straight to them.
      el('button', { type: 'button', class: 'secondary small narrow-only', onclick: () => {
        const actions = document.getElementById('actions');
        actions?.scrollIntoView();
        actions?.querySelector('summary')?.focus();
      } }, 'Go to the actions')),
    notice,
    summary,
    el('div', { class: 'grid' },
      el('div', {}, attribution, timeline, state, compare, sources, possiblyChecked),
      el('div', { class: 'side' }, claimActions(ctx), reader)),
    panel.node);
  render();
  markRendered('claim');
  showPossiblyCheckedBefore(possiblyChecked, page.claim.statement, page.claim.id);
}

const claimedOf = (claim, name) => (name === 'statement' ? claim.statement : claim.value?.[name]);

/** Claimed, Established and the verdict side by side, then the attribution check of a quote, then the status. */
function renderSummary(card, claim) {
  const verdict = claim.verdict;
  const findings = claim.established || [];
  const claimed = el('section', { class: 'column', id: 'claimed', 'aria-labelledby': 'claimed-title' },
    el('h2', { id: 'claimed-title' }, 'Claimed'),
    el('blockquote', { class: 'printed' }, claim.appearance.excerpt),
    el('p', {}, `As printed in ${claim.appearance.publisher}. `, el('a', { href: articleLink(claim.appearance) }, 'Show it in the article')),
    el('p', {}, el('strong', {}, 'Recorded as: '), `${kinds[claim.kind]}, `, describeValue(claim) || claim.statement),
    claim.amendmentCount ? el('p', { class: 'muted' }, `The ledger’s record was amended ${claim.amendmentCount} time(s) to match what was printed; the history says what and why.`) : '');
  const established = el('section', { class: 'column', id: 'established', 'aria-labelledby': 'established-title' },
    el('h2', { id: 'established-title' }, 'Established'),
    findings.length
      ? el('ul', { class: 'findings' }, findings.map((f) => {
        const differs = differsFinding(f);
        return el('li', { class: differs ? 'finding differs' : 'finding', 'data-field': f.field },
          el('p', {}, el('strong', {}, `${fieldLabel(f.field)}: `), valueWords(f.field, f.established, claim.value)),
          el('p', { class: differs ? 'verdict-note differs-note' : 'verdict-note' }, differs
            ? ['Differs from the claim, which says ', el('q', {}, valueWords(f.field, claimedOf(claim, f.field) ?? f.claimed, claim.value)), '.']
            : 'Confirms what was claimed.'),
          f.note ? el('p', {}, f.note) : '',
          evidenceList(f.evidence),
          el('p', { class: 'muted small' }, `Found by ${f.actor}, `, timeWords(f.at)));
      }))
      : el('p', { class: 'muted' }, 'Nothing established yet: no finding on any field.'));
  const rated = el('section', { class: 'column', id: 'summary-verdict-box', 'aria-labelledby': 'verdict-title' },
    el('h2', { id: 'verdict-title' }, 'Verdict'),
    verdict
      ? el('div', { id: 'summary-verdict' },
        el('p', {}, badge(verdict)),
        el('p', {}, verdict.rationale),
        verdict.rating === 'Opinion' ? el('p', { class: 'muted' }, 'An opinion asserts nothing checkable, so it is not rated.') : '',
        verdict.sourcesTried?.length ? el('div', {}, el('p', {}, el('strong', {}, 'Sources tried:')), el('ul', { class: 'tried' }, verdict.sourcesTried.map((t) => el('li', {}, t)))) : '',
        evidenceList(verdict.evidence),
        el('p', { class: 'muted small' }, `Rated by ${verdict.actor}, `, timeWords(verdict.at)),
        claim.earlierVerdicts.length ? el('p', { class: 'muted' }, 'Earlier: ', claim.earlierVerdicts.map((v) => ratings[v.rating]).join(', ')) : '')
      : el('p', {}, badge(null)),
    el('p', {}, el('strong', {}, 'Status: '), el('span', { class: `status-${claim.status}` }, statuses[claim.status]),
      claim.retractionReason ? ` — ${claim.retractionReason}` : ''));
  card.replaceChildren(el('div', { class: 'side-by-side' }, claimed, established, rated));
}

/** The attribution check of a quote: whether the speaker said it, apart from whether it is true. */
function renderAttribution(card, claim) {
  if (claim.kind !== 'Quote') { card.hidden = true; return; }
  const a = claim.attribution;
  card.hidden = false;
  card.replaceChildren(el('h2', {}, 'Attribution'),
    a
      ? el('div', { id: 'attribution' },
        el('p', {}, el('strong', {}, attributions[a.result] || a.result)),
        a.note ? el('p', {}, a.note) : '',
        a.sourcesTried?.length ? el('div', {}, el('p', {}, el('strong', {}, 'Sources tried:')), el('ul', { class: 'tried' }, a.sourcesTried.map((t) => el('li', {}, t)))) : '',
        evidenceList(a.evidence),
        el('p', { class: 'muted small' }, `Checked by ${a.actor}, `, timeWords(a.at)))
      : el('p', { id: 'attribution', class: 'muted' }, 'Not checked yet: whether the speaker said these words is still open.'));
}

function stateList(claim) {
  const value = Object.entries(claim.value || {}).filter(([k, v]) => !['$kind', 'precision'].includes(k) && v !== null && v !== undefined);
  return el('dl', { class: 'state' },
    el('dt', {}, 'Statement'), el('dd', { id: 'statement' }, claim.statement),
    el('dt', {}, 'Kind'), el('dd', {}, kinds[claim.kind]),
    value.flatMap(([k, v]) => [el('dt', {}, fieldLabel(k)), el('dd', {}, valueWords(k, v, claim.value))]),
    el('dt', {}, 'Status'), el('dd', { class: `status-${claim.status}`, id: 'status' }, statuses[claim.status] + (claim.retractionReason ? ` — ${claim.retractionReason}` : '')),
    (claim.established || []).flatMap((f) => [el('dt', {}, `Established: ${fieldLabel(f.field).toLowerCase()}`),
      el('dd', {}, valueWords(f.field, f.established, claim.value), differsFinding(f) ? ' (differs from the claim)' : ' (as claimed)')]),
    claim.attribution ? [el('dt', {}, 'Attribution'), el('dd', {}, attributions[claim.attribution.result] || claim.attribution.result)] : '',
    el('dt', {}, 'Verdict'), el('dd', { id: 'verdict' }, badge(claim.verdict), claim.verdict ? ` ${claim.verdict.rationale}` : ''),
    el('dt', {}, 'Publishers'), el('dd', {}, claim.publishers.join(', ')));
}

function renderReplay(card, claim) {
  const title = el('h2', {}, `Current state (version ${claim.version})`);
  const body = el('div', {}, stateList(claim));
  const slider = el('input', { type: 'range', min: 1, max: claim.version, value: claim.version, id: 'replay', step: 1,
    'aria-valuetext': `version ${claim.version} of ${claim.version}` });
  const output = el('output', { for: 'replay', id: 'replay-version' }, `version ${claim.version} of ${claim.version}`);
  let pending;
  slider.addEventListener('input', () => {
    const version = Number(slider.value);
    output.textContent = `version ${version} of ${claim.version}`;
    slider.setAttribute('aria-valuetext', output.textContent);
    clearTimeout(pending);
    pending = setTimeout(async () => {
      try {
        const { data } = await api(`${claimPath(claim.id)}/as-of?version=${version}`);
        if (Number(slider.value) !== version) return;
        title.textContent = version === claim.version ? `Current state (version ${version})` : `As of version ${version}`;
        body.replaceChildren(stateList(data));
      } catch (error) { body.replaceChildren(el('p', { class: 'conflict' }, problemText(error))); }
    }, 120);
  });
  card.replaceChildren(el('div', { id: 'state' }, title,
    el('div', { class: 'replay' }, el('label', { for: 'replay' }, 'Replay to'), slider, output),
    el('p', { class: 'hint' }, 'Drag, or use the arrow keys, to see the claim as it stood at each version.'),
    body));
}

function renderTimeline(card, history) {
  card.replaceChildren(el('h2', {}, 'History'), el('ol', { id: 'timeline', class: 'timeline' }, history.map((e) => el('li', {},
    el('p', {}, el('strong', {}, `Version ${e.version}: ${eventWords(e)}`), ` by ${e.actor}, `, timeWords(e.timestamp), e.imported ? ' (imported)' : ''),
    e.reason ? el('p', { class: 'reason' }, e.reason) : '',
    eventDetails(e).map((d) => el('p', { class: 'muted' }, d)),
    eventSpans(e).map((span) => el('p', { class: 'muted' }, evidenceNode(span)))))));
}

function renderCompare(card, claim) {
  const versions = (id, selected) => el('select', { id }, Array.from({ length: claim.version }, (_, i) =>
    el('option', { value: i + 1, selected: i + 1 === selected }, `version ${i + 1}`)));
  const from = versions('diff-from', 1);
  const to = versions('diff-to', claim.version);
  const out = el('div', { id: 'diff', 'aria-live': 'polite' });
  card.replaceChildren(el('h2', {}, 'Compare two versions'),
    el('form', { class: 'filters', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const { data } = await api(`${claimPath(claim.id)}/diff?from=${from.value}&to=${to.value}`);
        out.replaceChildren(data.changes.length
          ? el('ul', { class: 'changes' }, data.changes.map((c) => el('li', {},
            el('strong', {}, `${fieldLabel(c.field)}: `), el('del', { class: 'diff-removed' }, valueWords(c.field, c.before)), ' → ',
            el('ins', { class: 'diff-added' }, valueWords(c.field, c.after)),
            el('span', { class: 'muted' }, ` (${c.causedBy.map((x) => `version ${x.version} by ${x.actor}`).join('; ')})`))))
          : el('p', { class: 'muted' }, 'No field changed between these versions.'));
      } catch (error) { out.replaceChildren(el('p', { class: 'conflict' }, problemText(error))); }
    } }, el('label', { for: 'diff-from' }, 'From'), from, el('label', { for: 'diff-to' }, 'To'), to, el('button', { type: 'submit' }, 'Compare')),
    out);
}

/** The documents the claim cites, with its spans marked; text selected in them can be cited by the open form. */
async function renderSources(card, claim, panel) {
  const spans = [
    { source: claim.appearance, kind: 'appearance', title: 'Where the claim appears' },
    ...claim.sources.map((s) => ({ source: s.source, kind: 'source', title: s.corroborates ? 'Corroborates it' : `A source that ${s.stance.toLowerCase()} it` })),
    ...(claim.verdict?.evidence || []).map((e) => ({ source: e, kind: 'evidence', title: 'Evidence for the verdict' })),
    ...(claim.established || []).flatMap((f) => f.evidence.map((e) => ({ source: e, kind: 'evidence', title: `Evidence for the finding on the ${fieldLabel(f.field).toLowerCase()}` }))),
    ...(claim.attribution?.evidence || []).map((e) => ({ source: e, kind: 'evidence', title: 'Evidence for the attribution' })),
  ];
  const byDocument = new Map();
  for (const s of spans) {
    if (!byDocument.has(s.source.documentId)) byDocument.set(s.source.documentId, []);
    byDocument.get(s.source.documentId).push({ ...s.source, kind: s.kind, title: s.title });
  }
  card.replaceChildren(el('h2', {}, 'Sources in their documents'));
  const docs = await Promise.all([...byDocument.keys()].map((id) => api(`/documents/${encodeURIComponent(id)}`).then((r) => r.data, (e) => e)));
  docs.forEach((doc, i) => {
    const documentId = [...byDocument.keys()][i];
    if (doc instanceof Error) { card.append(el('p', { class: 'conflict' }, problemText(doc))); return; }
    const marked = byDocument.get(documentId);
    const box = textBox(doc, marked, { label: `Text of ${doc.publisher}: ${doc.title}` });
    card.append(el('h3', {}, `${doc.publisher}: ${doc.title}`),
      el('ul', { class: 'cited' }, marked.map((s) => el('li', {}, `${s.title}: `, describeSpan(s, doc)))),
      box, watchSelection(box, doc, panel.show));
    scrollToFirstMark(box);
  });
}

/** Scrolls a text box to its first marked span when that span would otherwise sit below the box's fold. */
export function scrollToFirstMark(box, selector = 'mark') {
  const mark = box.querySelector(selector);
  if (mark && mark.offsetTop + mark.offsetHeight > box.clientHeight) box.scrollTop = Math.max(0, mark.offsetTop - 40);
}

/** Any registered document, opened beside the forms so evidence can be selected in it; a cited source can be registered here. */
function documentReader(panel) {
  const holder = el('div', { id: 'reader-text' });
  const picker = el('select', { id: 'reader-document' }, el('option', { value: '' }, 'Choose a document'));
  const open = async () => {
    if (!picker.value) { holder.replaceChildren(); return; }
    try {
      const { data: doc } = await api(`/documents/${encodeURIComponent(picker.value)}`);
      const box = textBox(doc, [], { label: `Text of ${doc.publisher}: ${doc.title}` });
      holder.replaceChildren(doc.kind === 'Cited' ? el('p', { class: 'muted' }, sourceLine(doc)) : '',
        box, watchSelection(box, doc, panel.show));
    } catch (error) { holder.replaceChildren(el('p', { class: 'conflict' }, problemText(error))); }
  };
  const fill = async (selected) => {
    const { data } = await api('/documents');
    picker.replaceChildren(el('option', { value: '' }, 'Choose a document'),
      ...data.map((d) => el('option', { value: d.id, selected: d.id === selected }, `${d.kind === 'Cited' ? 'Cited: ' : ''}${d.publisher}: ${d.title}`)));
  };
  fill().catch((error) => holder.replaceChildren(el('p', { class: 'conflict' }, problemText(error))));
  picker.addEventListener('change', open);
  const register = el('details', { class: 'register-cited', id: 'cited-box' }, el('summary', {}, 'Register a cited source'),
    citedSourceForm({ onRegistered: async (documentId) => {
      await fill(documentId);
      register.open = false;
      await open();
      picker.focus();
    } }));
  return el('section', { class: 'card', id: 'reader' }, el('h2', {}, 'Cite from a document'),
    el('p', { class: 'hint' }, 'Open an action above, then select the evidence in this document or in the sources on the left. A source not yet in the ledger can be registered below.'),
    el('label', { for: 'reader-document' }, 'Document'), picker, register, holder);
}
