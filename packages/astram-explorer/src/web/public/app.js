// The explorer's single-page app: a router over pushState, the search box, the indexing banner and
// live refresh of the current page. Pages are rendered by pages.js from the JSON API under /api.
import { escapeHtml, formatNumber } from "./format.js";
import { pages } from "./pages.js";

const startQuery = new URLSearchParams(location.search);
/** Refresh period of live pages (ms); `?interval=500` shortens it (tests). */
export const POLL_MS = Math.max(200, Number(startQuery.get("interval")) || 5000);

export async function api(path) {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  let body;
  try {
    body = await res.json();
  } catch {
    body = { message: `HTTP ${res.status}` };
  }
  if (!res.ok) {
    const err = new Error(body.message ?? `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

const ROUTES = [
  [/^\/$/, "home"],
  [/^\/blocks$/, "blocks"],
  [/^\/transactions$/, "transactions"],
  [/^\/block\/([^/]+)$/, "block"],
  [/^\/tx\/([^/]+)$/, "tx"],
  [/^\/address\/([^/]+)$/, "address"],
  [/^\/mempool$/, "mempool"],
  [/^\/richlist$/, "richlist"],
  [/^\/charts$/, "charts"],
];

function match(pathname) {
  for (const [re, name] of ROUTES) {
    const m = re.exec(pathname);
    if (m) return { name, arg: m[1] ? decodeURIComponent(m[1]) : undefined };
  }
  return { name: "notFound" };
}

let timer;
let generation = 0;

async function render() {
  clearInterval(timer);
  const gen = ++generation;
  const { name, arg } = match(location.pathname);
  const page = pages[name] ?? pages.notFound;
  document.body.dataset.page = name;
  document.body.dataset.loaded = "false";
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.nav === name);
  const app = document.getElementById("app");
  const ctx = { api, arg, query: new URLSearchParams(location.search), isCurrent: () => gen === generation };
  try {
    await page.render(app, ctx);
  } catch (e) {
    if (gen !== generation) return;
    app.innerHTML = `<section class="card error" id="page-error"><h1>${
      e.status === 404 ? "Not found" : "Something went wrong"
    }</h1><p>${escapeHtml(e.message)}</p></section>`;
  }
  if (gen !== generation) return;
  document.title = `${document.querySelector("#app h1")?.textContent ?? "Explorer"} · Astram Explorer`;
  document.body.dataset.loaded = "true";
  if (page.refresh)
    timer = setInterval(async () => {
      if (gen !== generation || document.hidden) return;
      try {
        await page.refresh(app, ctx);
        document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed ?? 0) + 1);
      } catch {
        // the banner reports an unreachable explorer; the page keeps what it shows
      }
    }, POLL_MS);
}

export function navigate(path) {
  history.pushState({}, "", path);
  window.scrollTo(0, 0);
  return render();
}

document.addEventListener("click", (e) => {
  const a = e.target.closest("a[href]");
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || a.target || /^\/(api|static)\//.test(url.pathname)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener("popstate", () => render());

const message = document.getElementById("search-message");
document.getElementById("search-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = document.getElementById("search-input");
  const q = input.value.trim();
  message.hidden = true;
  if (!q) return;
  try {
    const r = await api(`/api/search?q=${encodeURIComponent(q)}`);
    if (r.type === "none") {
      message.textContent = r.message;
      message.hidden = false;
      return;
    }
    input.value = "";
    input.blur();
    await navigate(r.path);
  } catch (err) {
    message.textContent = err.message;
    message.hidden = false;
  }
});

async function updateBanner() {
  const banner = document.getElementById("sync-banner");
  try {
    const s = await api("/api/status");
    document.getElementById("footer-network").textContent = s.node ? `Network: ${s.node.network}` : "";
    if (s.last_error) {
      banner.textContent = `The explorer cannot follow its node right now: ${s.last_error}`;
      banner.className = "banner warn";
      banner.hidden = false;
    } else if (s.syncing && s.node_height !== null) {
      const pct = s.node_height > 0 ? Math.floor((Math.max(0, s.indexed_height) * 100) / s.node_height) : 0;
      banner.textContent = `Indexing: block ${formatNumber(Math.max(0, s.indexed_height))} of ${formatNumber(
        s.node_height,
      )} (${pct}%). Pages show what is indexed so far.`;
      banner.className = "banner";
      banner.hidden = s.node_height - s.indexed_height <= 2;
    } else banner.hidden = true;
  } catch {
    banner.textContent = "The explorer is not answering.";
    banner.className = "banner warn";
    banner.hidden = false;
  }
}

updateBanner();
setInterval(updateBanner, POLL_MS);
render();
