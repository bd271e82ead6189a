// The browser side of every page, inlined into it once the server starts (see site_files.rs,
// which defines JS and WASM before this). When the browser is first idle it loads the wasm
// and hydrates the page's islands. After that, a link to another page of the site fetches
// that page and swaps in its header, main content and head tags, so the wasm and the islands
// outside <main> (consent, the footer's settings button) stay loaded. Navigation behaves as
// the browser's own would: Back and Forward return to where the reader was, a new page starts
// at its top (or its fragment), and a link hovered for a moment is fetched before it is
// clicked. A form posts the same way: the answer the server makes for a browser without
// JavaScript (the thanks page, or the form again with its messages and what was typed) is
// swapped in, so the forms need no code of their own in the wasm.

const HEAD_TAGS = 'title, meta[name="description"], meta[name="robots"], meta[property^="og:"], ' +
  'meta[name^="twitter:"], meta[property^="article:"], link[rel="canonical"], link[rel="alternate"][hreflang], script[type="application/ld+json"]';
// Fetched ahead only when the click is likely to follow, and kept briefly.
const HOVER_MS = 65;
const PREFETCH_KEPT_MS = 10000;
// A swap faster than this shows nothing: a bar that flashes would be noise.
const SLOW_MS = 300;

let app;

// Hydrating is split into tasks of its own (the wasm's start, the root, each island), with a
// yield between them: a slow phone then never has the page blocked for long in one piece,
// and a tap in between is answered at once.
const yieldToBrowser = "scheduler" in window && "yield" in scheduler
  ? () => scheduler.yield()
  : () => new Promise((resolve) => setTimeout(resolve));

// Marks each island once it has hydrated; a lazy island answers with a promise that settles
// once its code has loaded and it has hydrated.
function hydrate(island) {
  return Promise.resolve(app[island.dataset.component](island))
    .then(() => island.setAttribute("data-hydrated", "true"));
}

async function hydrateIslands(root) {
  const main = document.querySelector("main");
  const hydrating = [];
  // A pledge form gets its key now, one per showing of the form, so that sending it again is
  // the same pledge (the page is the same bytes for every visitor, so it carries none). The
  // end-to-end tests wait on the mark before using a form, which until then would post the
  // page away.
  for (const form of root.querySelectorAll('form[method="post"]')) {
    const key = form.querySelector('input[name="form[idempotency_key]"]');
    if (key && !key.value) key.value = uuid();
    form.dataset.enhanced = "true";
  }
  for (const island of root.querySelectorAll("leptos-island")) {
    const name = island.dataset.component;
    if (typeof app[name] !== "function") continue;
    await yieldToBrowser();
    // A click that swapped the page in the meantime took this island away.
    if (island.isConnected) hydrating.push(hydrate(island));
  }
  // Once every island has hydrated (lazy ones load their code first), and after the timers
  // they set meanwhile (the consent root reads the choice in one): what the attribute
  // promises includes the banner, shown or not.
  await Promise.allSettled(hydrating);
  await new Promise((resolve) => setTimeout(resolve));
  // The end-to-end tests wait on this instead of sleeping.
  if (main?.isConnected) main.setAttribute("data-hydrated", "true");
}

async function start() {
  app = await import(JS);
  await app.default({ module_or_path: WASM });
  await yieldToBrowser();
  app.hydrate();
  hydrateIslands(document);
  takeOverNavigation();
}

// The page in view (path and query), to tell a move within it from a move to another.
let shown = location.pathname + location.search;

// Where the reader was on each history entry, by the key the entry carries in its state:
// kept here while they scroll (writing the entry itself on every scroll would be a history
// update each time), and written into the entry when the page goes away.
const positions = new Map();
const newKey = () => Math.random().toString(36).slice(2);

function entryKey() {
  if (!history.state?.key) history.replaceState({ ...history.state, key: newKey() }, "");
  return history.state.key;
}

function takeOverNavigation() {
  // The swap puts the reader back where they were; a reload leaves the browser's own
  // restoring in place.
  history.scrollRestoration = "manual";
  window.addEventListener("pagehide", () => {
    history.replaceState({ ...history.state, scroll: window.scrollY }, "");
    history.scrollRestoration = "auto";
  });
  entryKey();
  // Scroll events come at most once a frame, and a Map's set costs nothing.
  window.addEventListener("scroll", () => positions.set(entryKey(), window.scrollY), { passive: true });

  document.addEventListener("click", follow);
  document.addEventListener("submit", search);
  document.addEventListener("submit", send);
  document.addEventListener("mouseover", hover);
  document.addEventListener("mouseout", () => clearTimeout(hovering));
  document.addEventListener("touchstart", touch, { passive: true });
  window.addEventListener("popstate", (event) => {
    const scroll = positions.get(event.state?.key) ?? event.state?.scroll ?? 0;
    // Back over an anchor jump within the page: nothing to fetch, only where to be.
    if (location.pathname + location.search === shown) window.scrollTo(0, scroll);
    else show(location.href, { restore: scroll });
  });
}

// A link the loader may swap in: a page of this site, not a file, an API or another window.
function pageLink(target) {
  const link = target instanceof Element && target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return null;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return null;
  if (/\.[a-z0-9]+$/i.test(url.pathname) || url.pathname.startsWith("/api/")) return null;
  return url;
}

function follow(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = pageLink(event.target);
  if (!url) return;
  const samePage = url.pathname === location.pathname && url.search === location.search;
  // Within the page: the browser's own jump (the skip link, anchors).
  if (samePage && url.hash) return;
  event.preventDefault();
  // The page in view again: a fresh copy, without a second history entry.
  show(url.href, { replace: samePage });
}

// The search form (a GET form) swaps in place like a link.
function search(event) {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "get" || form.target) return;
  const url = new URL(form.action);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  url.search = new URLSearchParams(new FormData(form)).toString();
  event.preventDefault();
  show(url.href, {});
}

// A v4 UUID: `crypto.randomUUID` exists only where the page is served securely.
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Forms on their way: a second press while the first is sent changes nothing.
const sending = new WeakSet();

// A form of the site that posts (sign, pledge, confirm): sent as the browser would send it,
// and the page the server answers with swapped in.
async function send(event) {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post" || form.target) return;
  const url = new URL(form.action);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  if (sending.has(form)) return;
  sending.add(form);
  const key = form.querySelector('input[name="form[idempotency_key]"]');
  if (key && !key.value) key.value = uuid();
  const button = event.submitter ?? form.querySelector('[type="submit"]');
  const label = button?.textContent;
  if (button) {
    button.setAttribute("aria-busy", "true");
    button.setAttribute("aria-disabled", "true");
    if (button.dataset.pendingLabel) button.textContent = button.dataset.pendingLabel;
  }
  const body = new URLSearchParams(new FormData(form, event.submitter));
  let answer = null;
  try {
    const response = await fetch(url, { method: "POST", body, headers: { accept: "text/html" } });
    if ((response.headers.get("content-type") || "").startsWith("text/html")) {
      answer = { url: response.url, html: await response.text() };
    }
  } catch {
    answer = null;
  }
  sending.delete(form);
  if (button) {
    button.removeAttribute("aria-busy");
    button.setAttribute("aria-disabled", "false");
    button.textContent = label;
  }
  // No page came back (the connection broke): the browser's own post shows what happens.
  if (!answer) {
    form.submit();
    return;
  }
  ++latest;
  swapIn(answer, answer.url, { sent: true });
}

// Pages fetched ahead of a click: url → { at, page: promise of the answer or null }.
const prefetched = new Map();
// Pages whose every fetch changes something or is a guess (confirmation and thanks pages)
// are fetched only when asked for.
const NEVER_AHEAD = /\/(confirm|thanks)(\/|$)/;

function prefetchable(url) {
  const connection = navigator.connection;
  if (connection?.saveData || /2g/.test(connection?.effectiveType ?? "")) return false;
  return !NEVER_AHEAD.test(url.pathname) && url.pathname + url.search !== shown;
}

function prefetch(url) {
  const key = url.href.split("#")[0];
  const kept = prefetched.get(key);
  if (kept && Date.now() - kept.at < PREFETCH_KEPT_MS) return;
  const page = load(key, undefined).catch(() => null);
  prefetched.set(key, { at: Date.now(), page });
  // An error page is not kept: the click asks again.
  page.then((answer) => answer || prefetched.delete(key));
}

let hovering;
function hover(event) {
  const url = pageLink(event.target);
  clearTimeout(hovering);
  if (!url || !prefetchable(url)) return;
  hovering = setTimeout(() => prefetch(url), HOVER_MS);
}

function touch(event) {
  const url = pageLink(event.target);
  if (url && prefetchable(url)) prefetch(url);
}

// The page at `href` as a parsed document and the address it came from, or null for an
// answer the browser should show itself (an error, a file).
async function load(href, signal) {
  const response = await fetch(href, { headers: { accept: "text/html" }, signal });
  if (!response.ok || !(response.headers.get("content-type") || "").startsWith("text/html")) return null;
  return { url: response.url, html: await response.text() };
}

// A thin bar at the top while a slow page comes, and a polite word for screen readers; then
// the new page's title.
const bar = Object.assign(document.createElement("div"), { className: "nav-progress", hidden: true });
const status = Object.assign(document.createElement("div"), { className: "visually-hidden" });
bar.setAttribute("aria-hidden", "true");
status.setAttribute("aria-live", "polite");

function progress(loading) {
  if (!bar.isConnected) document.body.append(bar, status);
  bar.hidden = !loading;
  if (loading) status.textContent = "Loading the page…";
}

let latest = 0;
let inFlight;
async function show(href, { replace = false, restore }) {
  const mine = ++latest;
  inFlight?.abort();
  inFlight = new AbortController();
  const slow = setTimeout(() => mine === latest && progress(true), SLOW_MS);
  const key = href.split("#")[0];
  const kept = prefetched.get(key);
  prefetched.delete(key);
  let answer;
  try {
    answer = kept && Date.now() - kept.at < PREFETCH_KEPT_MS && await kept.page;
    answer ||= await load(href, inFlight.signal);
  } catch {
    answer = null;
  } finally {
    clearTimeout(slow);
  }
  // A later click won the race: its answer, or its failure, decides.
  if (mine !== latest) return;
  progress(false);
  // Whatever went wrong, the browser's own navigation shows it properly.
  if (!answer) {
    location.href = href;
    return;
  }
  swapIn(answer, href, { replace, restore });
}

// Puts the page `answer` holds in place of the one in view, as the address `href` asked for
// it (its fragment). After a form was sent (`sent`), the focus goes where the answer wants
// the reader: the first field to correct, else the outcome's heading.
function swapIn(answer, href, { replace = false, restore, sent = false }) {
  const page = new DOMParser().parseFromString(answer.html, "text/html");
  // Another language changes what stays in place too (the footer, the cookie banner and
  // their islands, the feed's link): the browser loads that page whole.
  if (page.documentElement.lang !== document.documentElement.lang) {
    location.assign(answer.url);
    return;
  }
  // Where the reader leaves this entry, before the new content clamps the scroll.
  if (restore === undefined) positions.set(entryKey(), window.scrollY);
  for (const old of document.head.querySelectorAll(HEAD_TAGS)) old.remove();
  for (const tag of page.head.querySelectorAll(HEAD_TAGS)) document.head.append(document.adoptNode(tag));
  for (const selector of [".site-header", "main"]) {
    const fresh = page.querySelector(selector);
    const old = document.querySelector(selector);
    if (fresh && old) old.replaceWith(document.adoptNode(fresh));
  }
  const url = new URL(answer.url);
  url.hash = new URL(href).hash;
  if (restore === undefined) {
    if (replace) history.replaceState({ key: newKey() }, "", url);
    else history.pushState({ key: newKey() }, "", url);
  }
  shown = location.pathname + location.search;
  const main = document.querySelector("main");
  hydrateIslands(main);
  status.textContent = document.title;
  if (restore !== undefined) {
    // Back or Forward: where the reader was, and no focus moved under their feet.
    window.scrollTo(0, restore);
  } else if (sent) {
    // A page loaded by the browser honours `autofocus`; one swapped in must be told.
    const target = ["[autofocus]", ".error-summary", "[data-outcome]", "h1"]
      .map((selector) => main.querySelector(selector))
      .find(Boolean);
    window.scrollTo(0, 0);
    if (target) {
      if (!target.matches("input, select, textarea, button, a[href]") && !target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    } else {
      main.focus();
    }
  } else {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
    // Screen readers hear the new page from its start; keyboard users go on from there.
    main.focus({ preventScroll: true });
  }
  positions.set(entryKey(), window.scrollY);
  // For what outlives the swap and follows the page in view (the page-view counter).
  window.dispatchEvent(new Event("site:navigated"));
}

if ("requestIdleCallback" in window) requestIdleCallback(start, { timeout: 2000 });
else setTimeout(start);
