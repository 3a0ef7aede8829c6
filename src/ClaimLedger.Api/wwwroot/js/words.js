// The ledger's internals in plain words: ratings, kinds, fields, events, values, times and spans.
import { el } from './dom.js';

export const ratings = {
  True: 'True', MostlyTrue: 'Mostly true', HalfTrue: 'Half true', MostlyFalse: 'Mostly false', False: 'False',
  Unverifiable: 'Unverifiable', Opinion: 'Opinion (not rated)',
};
/** True to False rate the claim on the scale; Unverifiable and Opinion are outcomes outside it. */
export const onScale = (rating) => ['True', 'MostlyTrue', 'HalfTrue', 'MostlyFalse', 'False'].includes(rating);
export const attributions = {
  Accurate: 'Accurate: said in these words', Paraphrase: 'Paraphrase: the sense, not the words', Misquoted: 'Misquoted: the words were changed',
  Misattributed: 'Misattributed: someone else said it', NotFound: 'Not found: no record of it being said',
};
export const attributionShort = { Accurate: 'accurate', Paraphrase: 'paraphrase', Misquoted: 'misquoted', Misattributed: 'misattributed', NotFound: 'not found' };
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
  const name = last.replace(/\[\d+\]$/, '');
  return (fieldLabels[name] || {
    rating: 'Rating', rationale: 'Rationale', reason: 'Reason', newValue: 'Value as printed', field: 'Field', established: 'Established value',
    note: 'Note', result: 'Result', sourcesTried: 'Sources tried', publisher: 'Publisher', title: 'Title', url: 'URL',
    text: 'Text of the document', publishedOn: 'Publication date', retrievedOn: 'Date retrieved', archiveUrl: 'Archive URL',
    attributedTo: 'Attributed to', id: 'Id', kind: 'Kind',
  }[name] || path);
}

export const badge = (verdict) => verdict
  ? el('span', { class: `badge ${verdict.rating ?? verdict}` }, ratings[verdict.rating ?? verdict] || verdict.rating)
  : el('span', { class: 'badge none' }, 'No verdict yet');

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

const fieldWord = (name) => fieldLabel(name).toLowerCase();

/** What an event did, in a sentence: "Amended the record: the date", "Finding on the date: …", "Rated Mostly false". */
export function eventWords(entry) {
  const p = entry.payload || {};
  switch (entry.type) {
    case 'ClaimRecorded': return 'Recorded the claim';
    case 'SourceAttached': return `Added a source that ${stances[p.stance] || 'mentions it'}`;
    case 'ClaimCorroborated': return `Corroborated by ${p.source?.publisher ?? 'another publisher'}`;
    case 'ClaimDisputed': return 'Disputed the claim';
    case 'ClaimRecordAmended': return `Amended the record: the ${fieldWord(p.field)} now reads as printed, “${valueWords(p.field, p.newValue)}”`;
    case 'FindingRecorded': return findingWords(p);
    case 'AttributionChecked': return `Attribution checked: ${attributionShort[p.result] || p.result}`;
    case 'VerdictIssued': return p.rating === 'Opinion'
      ? `Not rated: opinion${p.supersedes ? ` (was ${ratings[p.supersedes] || p.supersedes})` : ''}`
      : `Rated it ${ratings[p.rating] || p.rating}${p.supersedes ? ` (was ${ratings[p.supersedes] || p.supersedes})` : ''}`;
    case 'ClaimRetracted': return 'Retracted the claim';
    default: return entry.type.replace(/([a-z])([A-Z])/g, '$1 $2');
  }
}

/** "Finding on the date: “4 February 2022”, as claimed" or "…: “13.8 billion”, not “13.08 billion” as claimed". */
export function findingWords(f) {
  const same = differs(f) ? `, not “${valueWords(f.field, f.claimed)}” as claimed` : ', as claimed';
  return `Finding on the ${fieldWord(f.field)}: “${valueWords(f.field, f.established)}”${same}`;
}

/** Whether a finding establishes something other than what was claimed (the read model says so; an event is compared). */
export const differs = (f) => f.differs ?? (f.claimed ?? '') !== (f.established ?? '');

/** The details of an event beyond its reason: what an amendment changed, what was tried, which text it cites. */
export function eventDetails(entry) {
  const p = entry.payload || {};
  const details = [];
  if (entry.type === 'ClaimRecordAmended') details.push(`The ledger had recorded “${valueWords(p.field, p.oldValue)}”.`);
  if (['FindingRecorded', 'AttributionChecked'].includes(entry.type) && p.note && p.note !== entry.reason) details.push(p.note);
  if (p.sourcesTried?.length) details.push(`Sources tried: ${p.sourcesTried.join('; ')}`);
  return details;
}

/** The spans an event cites, for the history: its appearance (an amendment), its source and its evidence. */
export const eventSpans = (entry) => {
  const p = entry.payload || {};
  return [p.appearance && entry.type === 'ClaimRecordAmended' ? p.appearance : null, p.source, ...(p.evidence || [])].filter(Boolean);
};

/** A span as a reader would quote it: the publisher and the words, never offsets. */
export const asPrinted = (source) => `as printed in ${source.publisher ?? source.documentId}: “${source.excerpt}”`;
