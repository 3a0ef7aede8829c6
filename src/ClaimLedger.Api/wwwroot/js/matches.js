// "Possibly checked before": desk claims and imported reviews that say the same as a text, from GET /match.
// Kept in its own module so the claim page and a recording form can both call it; user text only ever goes into textContent.
const KEY = 'claimledger.apiKey';

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

const ratingLabels = { True: 'True', MostlyTrue: 'Mostly true', HalfTrue: 'Half true', MostlyFalse: 'Mostly false', False: 'False', Unverifiable: 'Unverifiable', Opinion: 'Opinion (not rated)' };

function describe(match) {
  const item = node('li', 'match');
  item.dataset.kind = match.kind;
  const head = node('div');
  head.append(node('span', 'badge', match.verdict ? (ratingLabels[match.verdict] || match.verdict) : (match.kind === 'Claim' ? 'no verdict' : 'no rating')), ' ');
  if (match.kind === 'Claim') {
    const link = node('a', '', match.id);
    link.href = `#/claims/${encodeURIComponent(match.id)}`;
    head.append('desk claim ', link);
  } else if (match.url && /^https?:\/\//i.test(match.url)) {
    const link = node('a', '', match.title || match.url);
    link.href = match.url;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    head.append(`${match.publisher || 'review'}: `, link);
  } else {
    head.append(`${match.publisher || 'review'}: ${match.title || match.id}`);
  }
  head.append(node('span', 'muted', ` score ${Number(match.score).toFixed(2)}`));
  item.append(head, node('div', '', match.statement));
  return item;
}

/** Fills container with the best matches for text, leaving out the claim excludeId itself. */
export async function showPossiblyCheckedBefore(container, text, excludeId, top = 5) {
  const list = node('ol', 'matches');
  const status = node('p', 'muted', 'Looking for earlier checks…');
  container.querySelectorAll('ol.matches, p.muted').forEach((old) => old.remove());
  container.append(status);
  const query = new URLSearchParams({ q: text, top: String(top) });
  if (excludeId) query.set('exclude', excludeId);
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY);
  if (key) headers['X-Api-Key'] = key;
  try {
    const response = await fetch(`/match?${query}`, { headers });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const result = await response.json();
    if (result.matches.length === 0) {
      status.textContent = 'No earlier check found.';
      return;
    }
    status.remove();
    list.append(...result.matches.map(describe));
    container.append(list);
  } catch (error) {
    status.textContent = `Could not look for earlier checks (${error.message}).`;
  }
}
