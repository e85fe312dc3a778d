// digest's site search: runs in the reader's browser over the index that
// digest build writes under /search/ (see internal/search). No
// dependencies. Folding and tokenising must match internal/search/text.go.
(() => {
  'use strict';
  const form = document.querySelector('form[data-index]');
  if (!form) return;
  const base = form.dataset.index;
  // The words of the site's language (its table's search_* strings): a
  // count's plural form is picked by the browser's CLDR rules.
  const words = JSON.parse(form.dataset.words || '{}');
  const lang = document.documentElement.lang || undefined;
  const plurals = new Intl.PluralRules(lang);
  const digits = form.dataset.digits || '0123456789';
  const number = { format: (n) => String(n).replace(/\d/g, (d) => digits[d]) };
  const say = (key, v) => {
    let s = words[key] || '';
    if (typeof s !== 'string') s = s[plurals.select(v.count)] || s.other;
    return s.replace(/\{(\w+)\}/g, (m, k) => (k in v ? v[k] : m));
  };
  const el = (id) => document.getElementById(id);
  const input = form.elements.q;
  const status = el('search-status');
  const list = el('search-results');
  const more = el('search-more');
  const PAGE = 10;
  const BUDGET = 6; // tiers beyond the first ones a search may read before it shows what it has

  const ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const CJKC = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u30fc\\u3005';
  const CJK = new RegExp('[' + CJKC + ']', 'u');
  const TOKEN = new RegExp('[' + CJKC + ']+|(?:(?![' + CJKC + '])[\\p{L}\\p{N}\\p{M}])+', 'gu');
  const MN = /\p{Mn}/u, M = /\p{M}/u, KANA = /[\p{sc=Hiragana}\p{sc=Katakana}]/u;

  const fold = (s) => {
    let out = '', last = '';
    for (const c of s.toLowerCase().normalize('NFKD')) {
      if (MN.test(c) && !KANA.test(last)) continue;
      out += c === 'ß' ? 'ss' : c === 'ς' ? 'σ' : c.toLowerCase();
      if (!M.test(c)) last = c;
    }
    return out.normalize('NFC');
  };

  // tokens: the folded words of s, CJK runs as pairs of characters; each
  // with its place in s, for highlighting.
  const tokens = (s) => {
    const out = [];
    for (const m of s.matchAll(TOKEN)) {
      const w = m[0];
      if (!CJK.test(w)) { out.push({ t: fold(w), i: m.index, n: w.length }); continue; }
      const cs = [...w];
      let at = m.index;
      if (cs.length === 1) out.push({ t: fold(w), i: at, n: w.length, cjk: 1 });
      for (let k = 0; k + 1 < cs.length; k++) {
        out.push({ t: fold(cs[k] + cs[k + 1]), i: at, n: cs[k].length + cs[k + 1].length, cjk: 1 });
        at += cs[k].length;
      }
    }
    return out;
  };

  const keyOf = (w) => { const cs = [...w]; return CJK.test(cs[0]) ? cs[0] : cs.slice(0, 3).join(''); };
  const enc = new TextEncoder();
  const fnv = (s) => {
    let h = 2166136261;
    for (const b of enc.encode(s)) h = Math.imul(h ^ b, 16777619) >>> 0;
    return h;
  };

  const files = new Map();
  const get = (path) => {
    let p = files.get(path);
    if (!p) {
      p = fetch(base + path).then((r) => (r.ok ? r.json() : Promise.reject(new Error(path + ': ' + r.status))));
      files.set(path, p);
      p.catch(() => files.delete(path));
    }
    return p;
  };
  let meta;
  const shard = (kind, n, key) => get(kind + '/' + (fnv(key) % n) + '.json');

  // A term: its postings read so far (doc → weight, doc → topic), how many
  // tiers it has and has read, and the lowest weight read.
  const terms = new Map();
  const decode = (t, tier) => {
    const [ids, ws, cs] = tier, wide = meta.wide ? 2 : 1;
    let doc = 0;
    for (let i = 0; i < ids.length; i++) {
      doc += ids[i];
      const w = ALPHA.indexOf(ws[i]);
      t.w.set(doc, w);
      t.c.set(doc, wide === 1 ? ALPHA.indexOf(cs[i]) : ALPHA.indexOf(cs[2 * i]) * 64 + ALPHA.indexOf(cs[2 * i + 1]));
      if (w < t.low) t.low = w;
    }
    t.read++;
  };
  const term = async (name) => {
    let t = terms.get(name);
    if (t) return t;
    const e = (await shard('h', meta.layout[0], name))[name] || [0, 0, [], '', ''];
    t = { name, df: e[0], tiers: e[1], read: 0, low: meta.levels + 1, w: new Map(), c: new Map() };
    decode(t, e.slice(2));
    t.idf = Math.log(1 + (meta.n - t.df + 0.5) / (t.df + 0.5));
    terms.set(name, t);
    return t;
  };
  const deeper = async (t) => {
    const key = t.name + '#' + t.read;
    decode(t, (await shard('t', meta.layout[1], key))[key]);
  };

  // slot: one word of the query, with the terms that may stand for it (the
  // word's own, and for the word being typed, its commonest completions)
  // and the folded words to highlight.
  const slot = async (word, prefix) => {
    const key = keyOf(word);
    const entries = await shard('w', meta.layout[2], key);
    const exact = [], partial = [], forms = new Set([word]);
    for (const [name, [df, ...ends]] of Object.entries(entries)) {
      const all = [name, ...ends.map((e) => (e[0] === '=' ? e.slice(1) : name + e))];
      if (all.slice(1).includes(word) || name === word) exact.push({ name, df, all });
      else if (prefix && all.some((f) => f.startsWith(word))) partial.push({ name, df, all });
    }
    partial.sort((a, b) => b.df - a.df);
    const chosen = exact.concat(partial).slice(0, 4);
    for (const c of chosen) for (const f of c.all) if (exact.includes(c) || f.startsWith(word)) forms.add(f);
    const ts = await Promise.all(chosen.map((c) => term(c.name)));
    // A completion of the word being typed counts for half, and never more
    // than the word itself: a rare completion must not outrank it.
    const own = exact.length ? ts[0].idf : Infinity;
    return { terms: ts.map((t, i) => ({ t, idf: i < exact.length ? t.idf : Math.min(own, t.idf) / 2 })), forms, prefix: prefix && word };
  };

  // idRange: the docs of the months from and to (YYYY-MM), both kept.
  const idRange = (from, to) => {
    let lo = 0, hi = meta.n - 1;
    if (from) { const f = meta.months.find(([m]) => m >= from); lo = f ? f[1] : meta.n; }
    if (to) { const t = meta.months.find(([m]) => m > to); if (t) hi = t[1] - 1; }
    return [lo, hi];
  };

  // score: a doc's score over the slots, and whether it is known to match
  // every slot; for unknown slots, the most it could still get.
  const weigh = (slots, doc) => {
    let score = 0, bound = 0, known = true, topic = -1;
    for (const s of slots) {
      let best = 0, rest = 0, found = false;
      for (const { t, idf } of s.terms) {
        const w = t.w.get(doc);
        if (w !== undefined) { found = true; best = Math.max(best, (idf * w) / meta.levels); topic = t.c.get(doc); }
        else if (t.read < t.tiers) rest = Math.max(rest, (idf * t.low) / meta.levels);
      }
      if (!found) { known = false; if (!rest) return null; bound += rest; }
      else score += best;
    }
    return { doc, score, bound: score + bound, known, topic };
  };

  // run finds the results of q; with typing, its last word may be the
  // start of a word.
  const run = async (q, opt, want, typing) => {
    const words = tokens(q);
    if (!words.length) return { q, results: [], done: true, slots: [] };
    const open = typing && !/\s$/.test(q);
    const last = words[words.length - 1];
    const slots = await Promise.all(words.map((w, i) =>
      slot(w.t, open && i === words.length - 1 && (last.cjk ? [...w.t].length === 1 : [...w.t].length >= 3))));
    if (slots.some((s) => !s.terms.length)) return { q, results: [], done: true, slots };
    const [lo, hi] = idRange(opt.from, opt.to);
    let spent = 0;
    for (;;) {
      const seen = new Set(), found = [], maybe = [];
      for (const s of slots) for (const { t } of s.terms) for (const d of t.w.keys()) seen.add(d);
      for (const d of seen) {
        if (d < lo || d > hi) continue;
        const r = weigh(slots, d);
        if (!r || (opt.topic >= 0 && r.topic !== opt.topic)) continue;
        (r.known ? found : maybe).push(r);
      }
      const byDate = opt.sort === 'date';
      found.sort((a, b) => (byDate ? 0 : b.score - a.score) || b.doc - a.doc);
      const open = slots.flatMap((s) => s.terms).filter((e) => e.t.read < e.t.tiers);
      // Unread docs could still score this much; a doc read in part, its bound.
      const bounds = slots.map((s) => Math.max(0, ...s.terms.filter((e) => e.t.read < e.t.tiers).map((e) => (e.idf * e.t.low) / meta.levels)));
      const unseen = bounds.includes(0) ? 0 : bounds.reduce((a, b) => a + b, 0);
      const top = Math.max(unseen, ...maybe.map((r) => r.bound));
      const enough = found.length >= want && (byDate || found[want - 1].score >= top);
      if (!open.length || enough || spent >= BUDGET) return { q, typing, results: found, done: !open.length, slots };
      // Read the next tier of the term that holds the bound up most.
      open.sort((a, b) => b.idf * b.t.low - a.idf * a.t.low);
      await deeper(open[0].t);
      spent++;
    }
  };

  // The page.
  const filters = form.querySelector('.search-filters');
  if (filters) filters.hidden = false;
  const params = () => {
    const p = new URLSearchParams();
    for (const name of ['q', 'topic', 'from', 'to', 'sort']) {
      const v = form.elements[name] && form.elements[name].value;
      if (v) p.set(name, v);
    }
    return p;
  };
  const options = () => ({
    topic: form.elements.topic ? form.elements.topic.selectedIndex - 1 : -1,
    from: form.elements.from && form.elements.from.value,
    to: form.elements.to && form.elements.to.value,
    sort: form.elements.sort && form.elements.sort.value,
  });
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });

  // marked: text with the words of the search in <mark>, cut to about
  // size characters around the first one when size is given.
  const marked = (text, slots, size) => {
    const hits = tokens(text).filter((k) => slots.some((s) => s.forms.has(k.t) || (s.prefix && k.t.startsWith(s.prefix))));
    let from = 0, to = text.length;
    if (size && text.length > size) {
      from = hits.length ? Math.max(0, text.lastIndexOf(' ', Math.max(0, hits[0].i - size / 4)) + 1) : 0;
      to = Math.min(text.length, from + size);
      const cut = text.lastIndexOf(' ', to);
      if (to < text.length && cut > from) to = cut;
    }
    const frag = document.createDocumentFragment();
    const add = (s) => s && frag.append(s);
    add(from > 0 ? '… ' : '');
    let at = from;
    for (const h of hits) {
      if (h.i < at || h.i + h.n > to) continue;
      add(text.slice(at, h.i));
      const m = document.createElement('mark');
      m.textContent = text.slice(h.i, h.i + h.n);
      frag.append(m);
      at = h.i + h.n;
    }
    add(text.slice(at, to));
    add(to < text.length ? ' …' : '');
    return frag;
  };

  const item = (doc, rec, slots) => {
    const [url, title, date, topic, text] = rec;
    const li = document.createElement('li');
    const h = document.createElement('h2');
    h.className = 'item-title';
    h.dir = 'auto';
    const a = document.createElement('a');
    a.href = url.startsWith('/') ? base.replace(/search\/$/, '') + url.slice(1) : url;
    a.append(marked(title, slots));
    h.append(a);
    const p = document.createElement('p');
    p.className = 'meta';
    const d = document.createElement('time');
    d.dateTime = date;
    d.textContent = dates.format(new Date(date + 'T00:00:00Z'));
    p.append((meta.topics[topic] || '') + ' · ', d);
    const s = document.createElement('p');
    s.className = 'snippet';
    s.dir = 'auto';
    s.append(marked(text, slots, 220));
    li.append(h, p, s);
    return li;
  };

  let current = 0, shown = 0, last = null;
  const show = async (res, from) => {
    const page = res.results.slice(from, from + PAGE);
    const recs = await Promise.all(page.map((r) => get('d/' + Math.floor(r.doc / meta.per) + '.json').then((s) => s[r.doc % meta.per])));
    if (from === 0) list.replaceChildren();
    page.forEach((r, i) => list.append(item(r.doc, recs[i], res.slots)));
    shown = from + page.length;
    const n = res.results.length;
    const q = res.q.trim();
    status.textContent = !q ? '' : n === 0 ? say('none', { query: q })
      : say(shown < n || !res.done ? 'showing' : 'found', { count: n, n: number.format(n) + (res.done ? '' : '+'), query: q, shown: number.format(shown) });
    more.hidden = shown >= n && res.done;
  };

  const search = async (typing) => {
    const id = ++current;
    const q = input.value;
    try {
      meta = meta || (await get('index.json'));
      const res = await run(q, options(), PAGE, typing);
      if (id !== current) return;
      last = res;
      await show(res, 0);
    } catch (e) {
      if (id === current) status.textContent = say('failed', { error: e.message });
    }
  };

  const fill = () => {
    const p = new URLSearchParams(location.search);
    for (const name of ['q', 'topic', 'from', 'to', 'sort']) if (form.elements[name]) form.elements[name].value = p.get(name) || '';
  };
  const remember = (push) => {
    const url = location.pathname + (params().toString() ? '?' + params() : '');
    if (url !== location.pathname + location.search) history[push ? 'pushState' : 'replaceState'](null, '', url);
  };

  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { remember(false); search(true); }, 120);
  });
  form.addEventListener('change', (e) => { if (e.target !== input) { remember(true); search(); } });
  form.addEventListener('submit', (e) => { e.preventDefault(); remember(true); search(); });
  more.addEventListener('click', async () => {
    if (!last) return;
    const res = await run(last.q, options(), shown + PAGE, last.typing);
    last = res;
    const first = list.children.length;
    await show(res, shown);
    const a = list.children[first] && list.children[first].querySelector('a');
    if (a) a.focus();
  });
  // Arrow keys move between the search box and the results.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Escape') return;
    const links = [input, ...list.querySelectorAll('a')];
    const i = links.indexOf(document.activeElement);
    if (i < 0 || (i === 0 && e.key === 'Escape')) return;
    e.preventDefault();
    const next = e.key === 'Escape' ? 0 : Math.max(0, Math.min(links.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)));
    links[next].focus();
  });
  window.addEventListener('popstate', () => { fill(); search(); });
  fill();
  if (input.value) search();
})();
