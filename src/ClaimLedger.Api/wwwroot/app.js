// ClaimLedger's web app: plain DOM, no framework, every piece of user text set with textContent.
const main = document.getElementById('main');
const keyInput = document.getElementById('api-key');
const keyState = document.getElementById('key-state');
const KEY = 'claimledger.apiKey';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function toast(text, ok = false) {
  const message = el('div', { class: ok ? 'message ok' : 'message' }, text);
  document.getElementById('toast').append(message);
  setTimeout(() => message.remove(), 8000);
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(path, { method = 'GET', body, ifMatch } = {}) {
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY);
  if (key) headers['X-Api-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined) headers['If-Match'] = `"${ifMatch}"`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
  return { data, etag: response.headers.get('ETag') };
}

function problemText(error) {
  if (error.problem?.errors) {
    return Object.entries(error.problem.errors).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; ');
  }
  return error.message;
}

const labels = { True: 'True', MostlyTrue: 'Mostly true', HalfTrue: 'Half true', MostlyFalse: 'Mostly false', False: 'False', Unverifiable: 'Unverifiable' };
const badge = (verdict) => verdict
  ? el('span', { class: `badge ${verdict.rating}` }, labels[verdict.rating] || verdict.rating)
  : el('span', { class: 'badge none' }, 'no verdict');

function describeValue(claim) {
  const v = claim.value || {};
  switch (v.$kind) {
    case 'Quantity': return `${v.amount} ${v.unit}${v.period ? ` (${v.period})` : ''}`;
    case 'Event': return v.endDate ? `${v.what}, ${v.date} to ${v.endDate}` : `${v.what} on ${v.date}`;
    case 'Expulsion': return `${v.expellingParty} expels ${v.count} ${v.expelledParty}${v.date ? ` (${v.date})` : ''}`;
    case 'Quote': return `${v.speaker}: “${v.words}”`;
    default: return claim.statement;
  }
}

// ---- the claim list -------------------------------------------------------------------------

async function showList(params) {
  const query = new URLSearchParams(params);
  const form = el('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    const next = new URLSearchParams();
    for (const [k, v] of data) if (v) next.set(k, v);
    location.hash = `#/?${next}`;
  } },
    el('label', {}, 'Search statements', el('input', { name: 'q', type: 'search', value: query.get('q') || '', id: 'search' })),
    select('kind', 'Kind', ['', 'Quantity', 'Event', 'Expulsion', 'Quote', 'Statement'], query.get('kind')),
    select('status', 'Status', ['', 'Recorded', 'Corroborated', 'Disputed', 'Rated', 'Retracted'], query.get('status')),
    select('verdict', 'Verdict', ['', ...Object.keys(labels)], query.get('verdict')),
    el('label', {}, 'Publisher', el('input', { name: 'publisher', value: query.get('publisher') || '' })),
    el('button', { type: 'submit' }, 'Search'));
  main.replaceChildren(el('h1', {}, 'Claims'), form, el('p', { class: 'muted' }, 'Loading…'));
  try {
    query.set('pageSize', query.get('pageSize') || '50');
    const { data } = await api(`/claims?${query}`);
    const rows = data.items.map((c) => el('tr', {},
      el('td', {}, el('a', { href: `#/claims/${encodeURIComponent(c.id)}` }, c.id)),
      el('td', {}, c.kind),
      el('td', {}, describeValue(c)),
      el('td', {}, c.publishers.join(', ')),
      el('td', { class: `status-${c.status}` }, c.status),
      el('td', {}, badge(c.verdict))));
    const page = Number(query.get('page') || 1);
    const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
    const pager = el('p', {},
      page > 1 ? el('a', { href: `#/?${withParam(query, 'page', page - 1)}` }, '← previous') : '',
      ` page ${page} of ${pages} · ${data.total} claim(s) `,
      page < pages ? el('a', { href: `#/?${withParam(query, 'page', page + 1)}` }, 'next →') : '');
    main.replaceChildren(el('h1', {}, 'Claims'), form,
      el('table', { id: 'claims' }, el('thead', {}, el('tr', {}, ['Id', 'Kind', 'Value', 'Publishers', 'Status', 'Verdict'].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows)),
      pager);
  } catch (error) {
    main.replaceChildren(el('h1', {}, 'Claims'), form, el('p', { class: 'conflict' }, problemText(error)));
  }
}

function withParam(query, name, value) {
  const next = new URLSearchParams(query);
  next.set(name, value);
  return next;
}

function select(name, label, options, current) {
  return el('label', {}, label, el('select', { name },
    options.map((o) => el('option', { value: o, selected: o === (current || '') }, o === '' ? 'any' : (labels[o] || o)))));
}

// ---- one claim ------------------------------------------------------------------------------

async function showClaim(id, notice) {
  main.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  let claim, etag, history;
  try {
    ({ data: claim, etag } = await api(`/claims/${encodeURIComponent(id)}`));
    ({ data: history } = await api(`/claims/${encodeURIComponent(id)}/history`));
  } catch (error) {
    main.replaceChildren(el('h1', {}, id), el('p', { class: 'conflict' }, problemText(error)));
    return;
  }

  const version = Number(String(etag).replaceAll('"', '')) || claim.version;
  const stateCard = el('div', { class: 'card', id: 'state' });
  renderState(stateCard, claim, `Current state (version ${claim.version})`);

  const slider = el('input', { type: 'range', min: 1, max: claim.version, value: claim.version, id: 'replay', 'aria-label': 'Replay to version' });
  const sliderLabel = el('output', { for: 'replay', id: 'replay-version' }, `version ${claim.version}`);
  slider.addEventListener('input', async () => {
    sliderLabel.textContent = `version ${slider.value}`;
    const { data } = await api(`/claims/${encodeURIComponent(id)}/as-of?version=${slider.value}`);
    renderState(stateCard, data, `As of version ${slider.value}${Number(slider.value) === claim.version ? ' (current)' : ''}`);
  });

  const from = versionSelect('diff-from', claim.version, 1);
  const to = versionSelect('diff-to', claim.version, claim.version);
  const diffOut = el('div', { id: 'diff' });
  const diffForm = el('form', { class: 'filters', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const { data } = await api(`/claims/${encodeURIComponent(id)}/diff?from=${from.value}&to=${to.value}`);
      diffOut.replaceChildren(diffTable(data));
    } catch (error) { diffOut.replaceChildren(el('p', { class: 'conflict' }, problemText(error))); }
  } }, el('label', {}, 'From', from), el('label', {}, 'To', to), el('button', { type: 'submit' }, 'Compare'));

  const timeline = el('table', { id: 'timeline' },
    el('thead', {}, el('tr', {}, ['v', 'Time (UTC)', 'Event', 'Actor', 'Reason'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, history.map((e) => el('tr', {},
      el('td', {}, e.version), el('td', {}, e.timestamp.replace('T', ' ').slice(0, 16) + (e.imported ? ' (imported)' : '')),
      el('td', {}, e.type), el('td', {}, e.actor), el('td', {}, e.reason || '')))));

  main.replaceChildren(
    el('p', {}, el('a', { href: '#/' }, '← all claims')),
    el('h1', {}, claim.id),
    notice ? el('div', { class: 'conflict', id: 'conflict', role: 'alert' }, notice) : '',
    el('div', { class: 'grid' },
      el('div', {},
        stateCard,
        el('div', { class: 'card' }, el('h2', {}, 'Replay'), el('div', { class: 'replay' }, slider, sliderLabel)),
        el('div', { class: 'card' }, el('h2', {}, 'Timeline'), timeline),
        el('div', { class: 'card' }, el('h2', {}, 'Compare two versions'), diffForm, diffOut),
        el('div', { class: 'card', id: 'sources' }, el('h2', {}, 'Sources in their articles'))),
      el('div', {}, actions(claim, version))));
  await renderSources(document.getElementById('sources'), claim);
}

function renderState(card, claim, title) {
  const value = Object.entries(claim.value || {}).filter(([k, v]) => k !== '$kind' && v !== null && v !== undefined);
  card.replaceChildren(el('h2', {}, title), el('dl', { class: 'state' },
    el('dt', {}, 'Statement'), el('dd', { id: 'statement' }, claim.statement),
    el('dt', {}, 'Kind'), el('dd', {}, claim.kind),
    value.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]),
    el('dt', {}, 'Status'), el('dd', { class: `status-${claim.status}`, id: 'status' }, claim.status + (claim.retractionReason ? ` — ${claim.retractionReason}` : '')),
    el('dt', {}, 'Verdict'), el('dd', { id: 'verdict' }, badge(claim.verdict), claim.verdict ? ` ${claim.verdict.rationale}` : ''),
    el('dt', {}, 'Earlier verdicts'), el('dd', {}, claim.earlierVerdicts?.length ? claim.earlierVerdicts.map((v) => badge(v)) : 'none'),
    el('dt', {}, 'Publishers'), el('dd', {}, claim.publishers.join(', '))));
}

function versionSelect(id, max, selected) {
  return el('select', { id }, Array.from({ length: max }, (_, i) => el('option', { value: i + 1, selected: i + 1 === selected }, `v${i + 1}`)));
}

function diffTable(diff) {
  if (!diff.changes.length) return el('p', { class: 'muted' }, 'No field changed between these versions.');
  return el('table', {}, el('thead', {}, el('tr', {}, ['Field', 'Before', 'After', 'Changed by'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, diff.changes.map((c) => el('tr', {},
      el('td', {}, c.field), el('td', { class: 'diff-removed' }, c.before ?? '—'), el('td', { class: 'diff-added' }, c.after ?? '—'),
      el('td', {}, c.causedBy.map((x) => `v${x.version} ${x.event} by ${x.actor}`).join('; '))))));
}

async function renderSources(card, claim) {
  const sources = [{ source: claim.appearance, label: 'First appearance' }, ...claim.sources.map((s) => ({ source: s.source, label: s.corroborates ? 'Corroborates' : s.stance }))];
  const byDocument = new Map();
  for (const s of sources) {
    if (!byDocument.has(s.source.documentId)) byDocument.set(s.source.documentId, []);
    byDocument.get(s.source.documentId).push(s);
  }
  for (const [documentId, spans] of byDocument) {
    try {
      const { data: doc } = await api(`/documents/${encodeURIComponent(documentId)}`);
      card.append(el('h3', {}, `${doc.publisher}: ${doc.title}`), el('p', { class: 'muted' }, spans.map((s) => `${s.label} [${s.source.start}, ${s.source.end})`).join(' · ')),
        highlighted(doc.text, spans.map((s) => s.source)));
    } catch (error) { card.append(el('p', { class: 'conflict' }, problemText(error))); }
  }
}

function highlighted(text, spans) {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const box = el('div', { class: 'article', tabindex: 0 });
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    box.append(text.slice(at, s.start), el('mark', {}, text.slice(s.start, s.end)));
    at = s.end;
  }
  box.append(text.slice(at));
  return box;
}

// ---- checker actions ------------------------------------------------------------------------

function actions(claim, version) {
  const evidenceFields = () => [
    el('label', {}, 'Evidence document id', el('input', { name: 'document' })),
    el('label', {}, 'Start', el('input', { name: 'start', type: 'number', min: 0 })),
    el('label', {}, 'End', el('input', { name: 'end', type: 'number', min: 0 })),
    el('label', {}, 'Excerpt (exact text)', el('textarea', { name: 'excerpt', rows: 2 }))];
  const evidence = (d) => d.get('document') ? [{ documentId: d.get('document'), start: Number(d.get('start')), end: Number(d.get('end')), excerpt: d.get('excerpt') }] : [];
  const form = (title, id, path, fields, body) => el('form', { class: 'card action', id, onsubmit: async (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    try {
      const { data: result } = await api(`/claims/${encodeURIComponent(claim.id)}/${path}`, { method: 'POST', body: body(data), ifMatch: version });
      toast(`${result.events.join(', ')}: the claim is now at version ${result.version}.`, true);
      await showClaim(claim.id);
    } catch (error) {
      if (error.status === 412) {
        await showClaim(claim.id, `Someone else changed this claim first: it is now at version ${error.problem.currentVersion}, not ${version}. Nothing of yours was written. The fresh state is shown; review it and submit again.`);
      } else {
        toast(problemText(error));
      }
    }
  } }, el('h3', {}, title), fields, el('button', { type: 'submit' }, title));

  if (claim.status === 'Retracted') return el('div', { class: 'card' }, el('p', {}, 'This claim was retracted; it accepts no further changes.'));
  return el('div', { id: 'actions' },
    form('Issue verdict', 'verdict-form', 'verdicts', [
      select('rating', 'Rating', Object.keys(labels), 'True'),
      el('label', {}, 'Rationale', el('textarea', { name: 'rationale', rows: 3, required: true })), ...evidenceFields()],
      (d) => ({ rating: d.get('rating'), rationale: d.get('rationale'), evidence: evidence(d) })),
    form('Dispute', 'dispute-form', 'disputes', [el('label', {}, 'Reason', el('textarea', { name: 'reason', rows: 2, required: true })), ...evidenceFields()],
      (d) => ({ reason: d.get('reason'), evidence: evidence(d) })),
    form('Correct', 'correct-form', 'corrections', [
      el('label', {}, 'Field (statement or a value field)', el('input', { name: 'field', required: true })),
      el('label', {}, 'New value', el('input', { name: 'newValue' })),
      el('label', {}, 'Reason', el('textarea', { name: 'reason', rows: 2, required: true })), ...evidenceFields()],
      (d) => ({ field: d.get('field'), newValue: d.get('newValue'), reason: d.get('reason'), evidence: evidence(d) })),
    form('Retract', 'retract-form', 'retraction', [el('label', {}, 'Reason', el('textarea', { name: 'reason', rows: 2, required: true }))],
      (d) => ({ reason: d.get('reason') })));
}

// ---- routing --------------------------------------------------------------------------------

function route() {
  const hash = location.hash || '#/';
  const claim = hash.match(/^#\/claims\/([^?]+)/);
  if (claim) return showClaim(decodeURIComponent(claim[1]));
  return showList(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
}

document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (keyInput.value) sessionStorage.setItem(KEY, keyInput.value.trim());
  keyInput.value = '';
  keyState.textContent = sessionStorage.getItem(KEY) ? 'key set' : '';
  route();
});
keyState.textContent = sessionStorage.getItem(KEY) ? 'key set' : '';
window.addEventListener('hashchange', route);
route();
