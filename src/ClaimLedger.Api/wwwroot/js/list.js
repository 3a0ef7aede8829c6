// The claim list: search and filters, one row per claim, verdict badges. On a phone each row becomes a card.
import { el, showPage, main, markData, markRendered } from './dom.js';
import { api, problemText } from './api.js';
import { badge, kinds, statuses, ratings, describeValue } from './words.js';

const select = (name, label, options, current) => el('label', {}, label, el('select', { name },
  el('option', { value: '' }, 'any'),
  Object.entries(options).map(([value, text]) => el('option', { value, selected: value === current }, text))));

const withParam = (query, name, value) => { const next = new URLSearchParams(query); next.set(name, value); return next; };

export async function showList(params) {
  const query = new URLSearchParams(params);
  const form = el('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(e.target)) if (v) next.set(k, v);
    location.hash = `#/?${next}`;
  } },
  el('label', {}, 'Search statements', el('input', { name: 'q', type: 'search', value: query.get('q') || '', id: 'search' })),
  select('kind', 'Kind', kinds, query.get('kind')),
  select('status', 'Status', statuses, query.get('status')),
  select('verdict', 'Verdict', ratings, query.get('verdict')),
  el('label', {}, 'Publisher', el('input', { name: 'publisher', value: query.get('publisher') || '' })),
  el('button', { type: 'submit' }, 'Search'));
  const status = el('p', { class: 'muted', role: 'status' }, 'Loading…');
  showPage('Claims', form, status);
  try {
    query.set('pageSize', query.get('pageSize') || '50');
    const { data } = await api(`/claims?${query}`);
    markData('list');
    const rows = data.items.map((c) => el('tr', {},
      el('td', { 'data-label': 'Claim' }, el('a', { href: `#/claims/${encodeURIComponent(c.id)}` }, c.statement), el('div', { class: 'muted small' }, c.id)),
      el('td', { 'data-label': 'What it says' }, el('span', { class: 'kind' }, kinds[c.kind]), ' ', describeValue(c)),
      el('td', { 'data-label': 'Publishers' }, c.publishers.join(', ')),
      el('td', { 'data-label': 'Status', class: `status-${c.status}` }, statuses[c.status]),
      el('td', { 'data-label': 'Verdict' }, badge(c.verdict),
        c.differsFromClaimed ? el('div', { class: 'differs-flag' }, 'A finding differs from what was claimed') : '')));
    const page = Number(query.get('page') || 1);
    const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
    status.textContent = `${data.total} claim(s) · page ${page} of ${pages}`;
    const pager = el('nav', { class: 'pager', 'aria-label': 'Pages' },
      page > 1 ? el('a', { href: `#/?${withParam(query, 'page', page - 1)}` }, '← Previous page') : '',
      page < pages ? el('a', { href: `#/?${withParam(query, 'page', page + 1)}` }, 'Next page →') : '');
    main().append(
      el('table', { id: 'claims', class: 'stack' },
        el('caption', { class: 'visually-hidden' }, 'Claims matching the search'),
        el('thead', {}, el('tr', {}, ['Claim', 'What it says', 'Publishers', 'Status', 'Verdict'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows)),
      pager);
    markRendered('list');
  } catch (error) {
    status.className = 'conflict';
    status.textContent = problemText(error);
  }
}

