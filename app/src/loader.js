// The browser side of every page, inlined into it once the server starts (see site_files.rs,
// which defines JS and WASM before this). When the browser is first idle it loads the wasm
// and hydrates the page's islands; the forms only when they come near the viewport, since
// until then they work as plain HTML posts. After that, a link to another page of the site
// fetches that page and swaps in its header, main content and head tags, so the wasm and the
// islands outside <main> (consent, the footer's settings button) stay loaded.

const WHEN_VISIBLE = /^(DonationForm|SignForm)_/;
const HEAD_TAGS = 'title, meta[name="description"], meta[name="robots"], meta[property^="og:"], ' +
  'meta[name^="twitter:"], meta[property^="article:"], link[rel="canonical"], script[type="application/ld+json"]';

let app;
let later;

// Hydrating is split into tasks of its own (the wasm's start, the root, each island), with a
// yield between them: a slow phone then never has the page blocked for long in one piece,
// and a tap in between is answered at once.
const yieldToBrowser = "scheduler" in window && "yield" in scheduler
  ? () => scheduler.yield()
  : () => new Promise((resolve) => setTimeout(resolve));

// Marks each island once it has hydrated; a lazy island answers with a promise that settles
// once its code has loaded and it has hydrated. The end-to-end tests wait on the mark before
// using a form, which until then is a plain HTML form that would post the page away.
function hydrate(island) {
  return Promise.resolve(app[island.dataset.component](island))
    .then(() => island.setAttribute("data-hydrated", "true"));
}

async function hydrateIslands(root) {
  const main = document.querySelector("main");
  const hydrating = [];
  for (const island of root.querySelectorAll("leptos-island")) {
    const name = island.dataset.component;
    if (typeof app[name] !== "function") continue;
    if (WHEN_VISIBLE.test(name) && later) {
      later.observe(island);
      continue;
    }
    await yieldToBrowser();
    // A click that swapped the page in the meantime took this island away.
    if (island.isConnected) hydrating.push(hydrate(island));
  }
  // Once every island but the forms waiting to come into view has hydrated (lazy ones load
  // their code first), and after the timers they set meanwhile (the consent root reads the
  // choice in one): what the attribute promises includes the banner, shown or not.
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
  if ("IntersectionObserver" in window) {
    later = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        later.unobserve(entry.target);
        hydrate(entry.target);
      }
    }, { rootMargin: "300px" });
  }
  hydrateIslands(document);
  document.addEventListener("click", follow);
  window.addEventListener("popstate", () => {
    // Back over an anchor jump within the page: the browser scrolls, there is nothing to fetch.
    if (location.pathname + location.search !== shown) show(location.href, false);
  });
}

// The page in view (path and query), to tell a move within it from a move to another.
let shown = location.pathname + location.search;

function follow(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return;
  // The same page: the browser's own jump (the skip link, anchors within the page).
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  // Files and the API, not pages.
  if (/\.[a-z0-9]+$/i.test(url.pathname) || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  show(url.href, true);
}

let latest = 0;
async function show(href, push) {
  const mine = ++latest;
  let page, response;
  try {
    response = await fetch(href, { headers: { accept: "text/html" } });
    if (!(response.headers.get("content-type") || "").startsWith("text/html")) throw new Error();
    page = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    // Whatever went wrong, the browser's own navigation shows it properly.
    location.href = href;
    return;
  }
  // A later click won the race.
  if (mine !== latest) return;
  // The forms still waiting to come into view are in the page going away.
  later?.disconnect();
  for (const old of document.head.querySelectorAll(HEAD_TAGS)) old.remove();
  for (const tag of page.head.querySelectorAll(HEAD_TAGS)) document.head.append(document.adoptNode(tag));
  for (const selector of [".site-header", "main"]) {
    const fresh = page.querySelector(selector);
    const old = document.querySelector(selector);
    if (fresh && old) old.replaceWith(document.adoptNode(fresh));
  }
  if (push) history.pushState(null, "", response.url);
  shown = location.pathname + location.search;
  const main = document.querySelector("main");
  hydrateIslands(main);
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) target.scrollIntoView();
  else window.scrollTo(0, 0);
  // Screen readers hear the new page from its start; keyboard users go on from there.
  main.focus({ preventScroll: true });
  // For what outlives the swap and follows the page in view (the page-view counter).
  window.dispatchEvent(new Event("site:navigated"));
}

if ("requestIdleCallback" in window) requestIdleCallback(start, { timeout: 2000 });
else setTimeout(start);
