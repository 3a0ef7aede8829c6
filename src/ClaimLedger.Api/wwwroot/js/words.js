// The ledger's internals in plain words: ratings, kinds, fields, events, values, times and spans.
import { el } from './dom.js';

export const ratings = { True: 'True', MostlyTrue: 'Mostly true', HalfTrue: 'Half true', MostlyFalse: 'Mostly false', False: 'False', Unverifiable: 'Unverifiable', Opinion: 'Opinion (not rated)' };
export const attributions = { Accurate: 'Accurate', Paraphrase: 'Paraphrase', Misquoted: 'Misquoted', Misattributed: 'Misattributed', NotFound: 'Not found' };
export const kinds = { Quantity: 'A figure', Event: 'An event or date', Expulsion: 'An expulsion', Quote: 'A quotation', Statement: 'A statement' };
export const statuses = { Recorded: 'Recorded', Corroborated: 'Corroborated', Disputed: 'Disputed', Rated: 'Rated', Retracted: 'Retracted' };
export const stances = { Supports: 'supports it', Contradicts: 'contradicts it', Mentions: 'mentions it' };

export const fieldLabels = {
  statement: 'Statement', amount: 'Amount', unit: 'Unit', period: 'Period', what: 'What happened', date: 'Date',
  precision: 'Date precision', endDate: 'Until', expellingParty: 'Expelled by', expelledParty: 'Who was expelled',
  count: 'How many', speaker: 'Speaker', words: 'Words quoted', setting: 'Where and when it was said',
};
export const fieldsOfKind = {
  Quantity: ['amount', 'unit', 'period'], Event: ['what', 'date', 'endDate'], Expulsion: ['expellingParty', 'expelledParty', 'count', 'date'],
  Quote: ['speaker', 'words', 'setting'], Statement: [],
};
export const fieldLabel = (name) => fieldLabels[name] || name;

/** A request field named in an error, as the form calls it: "value.amount" → "Amount", "evidence[0].excerpt" → "evidence 1". */
export function fieldWords(path) {
  const evidence = /^evidence\[(\d+)\]/.exec(path);
  if (evidence) return `evidence ${Number(evidence[1]) + 1}`;
  if (path.startsWith('appearance')) return 'the selected text';
  if (path.startsWith('source')) return 'the source';
  const last = path.split('.').pop();
  return (fieldLabels[last] || { rating: 'Rating', rationale: 'Rationale', reason: 'Reason', newValue: 'Corrected value', field: 'Field to correct',
    publisher: 'Publisher', title: 'Title', url: 'URL', text: 'Text of the document', publishedOn: 'Publication date', id: 'Id', kind: 'Kind' }[last] || path);
}

export const badge = (verdict) => verdict
  ? el('span', { class: `badge ${verdict.rating ?? verdict}` }, ratings[verdict.rating ?? verdict] || verdict.rating)
  : el('span', { class: 'badge none' }, 'Not rated yet');

/** An exact amount with thousands separators, and its size in words: 1,280,000,000,000 (1.28 trillion). */
export function amountWords(amount) {
  if (!/^-?\d+(\.\d+)?$/.test(amount ?? '')) return amount ?? '';
  const [whole, fraction] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
  const n = Number(amount);
  if (Math.abs(n) < 10000) return grouped;
  const compact = new Intl.NumberFormat('en', { notation: 'compact', compactDisplay: 'long', maximumFractionDigits: 3 }).format(n);
  return `${grouped} (${compact})`;
}

const utcDate = (iso, options) => new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', ...options }).format(new Date(`${iso}T00:00:00Z`));

/** A printed date by its precision: "5 April 2018", "June 2018", "2018", "3–4 July 2017". */
export function dateWords(date, precision, endDate) {
  if (!date) return '';
  if (endDate) return `${dateWords(date, 'Day')} to ${dateWords(endDate, 'Day')}`;
  if (precision === 'Year' || /^\d{4}$/.test(date)) return date;
  if (precision === 'Month' || /^\d{4}-\d{2}$/.test(date)) return utcDate(`${date}-01`, { month: 'long', year: 'numeric' });
  return utcDate(date, { day: 'numeric', month: 'long', year: 'numeric' });
}

/** A field's value as a reader would say it. */
export function valueWords(name, value, all = {}) {
  if (value === null || value === undefined || value === '') return '—';
  if (name === 'amount') return amountWords(value);
  if (name === 'date') return dateWords(value, all.precision, all.endDate);
  if (name === 'endDate') return dateWords(value, 'Day');
  return String(value);
}

/** The claim's value in one line. */
export function describeValue(claim) {
  const v = claim.value || {};
  switch (v.$kind) {
    case 'Quantity': return `${amountWords(v.amount)} ${v.unit}${v.period ? `, ${v.period}` : ''}`;
    case 'Event': return `${v.what} — ${dateWords(v.date, v.precision, v.endDate)}`;
    case 'Expulsion': return `${v.expellingParty} expelled ${v.count} ${v.expelledParty}${v.date ? ` (${dateWords(v.date, v.precision)})` : ''}`;
    case 'Quote': return `${v.speaker}: “${v.words}”`;
    default: return '';
  }
}

/** A moment in the reader's own time zone, with the UTC time on hover and in the markup. */
export function timeWords(iso) {
  const at = new Date(iso);
  const utc = `${iso.replace('T', ' ').slice(0, 16)} UTC`;
  return el('time', { datetime: iso, title: utc },
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(at));
}

/** What an event did, in a sentence: "Corrected the date", "Rated Mostly false". */
export function eventWords(entry) {
  const p = entry.payload || {};
  switch (entry.type) {
    case 'ClaimRecorded': return 'Recorded the claim';
    case 'SourceAttached': return `Added a source that ${stances[p.stance] || 'mentions it'}`;
    case 'ClaimCorroborated': return `Corroborated by ${p.source?.publisher ?? 'another publisher'}`;
    case 'ClaimDisputed': return 'Disputed the claim';
    case 'ClaimRecordAmended': return `Amended the record of the ${fieldLabel(p.field).toLowerCase()}`;
    case 'FindingRecorded': return `Finding on the ${fieldLabel(p.field).toLowerCase()}`;
    case 'AttributionChecked': return `Attribution checked: ${(attributions[p.result] || p.result).toLowerCase()}`;
    case 'VerdictIssued': return `Rated it ${ratings[p.rating] || p.rating}${p.supersedes ? ` (was ${ratings[p.supersedes] || p.supersedes})` : ''}`;
    case 'ClaimRetracted': return 'Retracted the claim';
    default: return entry.type.replace(/([a-z])([A-Z])/g, '$1 $2');
  }
}

/** The details of an event beyond its reason: what a correction changed, which text it cites. */
export function eventDetails(entry) {
  const p = entry.payload || {};
  const details = [];
  if (entry.type === 'ClaimRecordAmended') {
    details.push(`record changed from “${valueWords(p.field, p.oldValue)}” to “${valueWords(p.field, p.newValue)}”`);
  }
  if (entry.type === 'FindingRecorded') {
    details.push(`claimed “${valueWords(p.field, p.claimed)}”, established “${valueWords(p.field, p.established)}”`);
  }
  for (const tried of p.sourcesTried || []) details.push(`tried: ${tried}`);
  const cited = [p.source, p.appearance, ...(p.evidence || [])].filter(Boolean);
  for (const source of cited) details.push(asPrinted(source));
  return details;
}

/** A span as a reader would quote it: the publisher and the words, never offsets. */
export const asPrinted = (source) => `as printed in ${source.publisher ?? source.documentId}: “${source.excerpt}”`;
