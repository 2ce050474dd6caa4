// The contact cards' DOM behaviour, delegated from each widget root (one set of listeners for
// every card in it; src/ui/behaviour.rs): cheaper here than through web-sys and Leptos event
// handlers. Cards (src/ui/contact) are rendered from their contact's data-card; open on hover (after a short delay), on focus of the
// trigger and on Enter/Space; close on Escape (focus back to the trigger), when focus leaves
// trigger and card, and when the pointer leaves both. The open card is placed inside the
// viewport (position: fixed): below the trigger, above it when there is no room below, shifted
// left at the right edge.
const GAP = 6;
const MARGIN = 8;

function partsOf(node) {
  const person = node && node.closest ? node.closest(".ucwa-person") : null;
  if (!person) return null;
  const trigger = person.querySelector(":scope > .ucwa-contact");
  const card = person.querySelector(":scope > .ucwa-card");
  return trigger && card ? { person, trigger, card } : null;
}

function place(trigger, card) {
  const t = trigger.getBoundingClientRect();
  const view = document.documentElement;
  const width = view.clientWidth || window.innerWidth;
  const height = view.clientHeight || window.innerHeight;
  const c = card.getBoundingClientRect();
  let top = t.bottom + GAP;
  if (top + c.height > height - MARGIN && t.top - GAP - c.height >= MARGIN) {
    top = t.top - GAP - c.height;
  }
  const left = Math.max(MARGIN, Math.min(t.left, width - MARGIN - c.width));
  card.style.top = `${Math.round(top)}px`;
  card.style.left = `${Math.round(left)}px`;
}

function show(p, open) {
  clearTimeout(p.person.ucwaTimer);
  if (p.card.hidden === !open) return;
  p.card.hidden = !open;
  p.trigger.setAttribute("aria-expanded", String(open));
  if (open) place(p.trigger, p.card);
}

function later(p, open, ms) {
  clearTimeout(p.person.ucwaTimer);
  p.person.ucwaTimer = setTimeout(() => {
    const focused = p.person.getRootNode().activeElement;
    if (open || !p.person.contains(focused)) show(p, open);
  }, ms);
}

// Renders a card from its `data-card` (src/ui/contact/card.rs has the format) into the card
// (or its `.ucwa-card__body`): text nodes and attributes only, never markup.
function render(card, data) {
  if (card.ucwaData === data) return;
  card.ucwaData = data;
  const body = card.querySelector(":scope > .ucwa-card__body") || card;
  const nodes = [];
  const actions = document.createElement("span");
  actions.className = "ucwa-card__actions";
  for (const record of data.split("\x1e")) {
    const [kind, key, text, extra] = record.split("\x1f");
    if (kind === "f") {
      const el = document.createElement("span");
      el.className = key === "name" ? "ucwa-card__name" : "ucwa-card__field";
      el.dataset.field = key;
      if (key === "name") el.id = card.getAttribute("aria-labelledby");
      if (extra === "oof") el.dataset.outOfOffice = "true";
      el.textContent = text;
      nodes.push(el);
    } else if (kind === "a") {
      const [action, phone] = key.split(":");
      const el = document.createElement("a");
      el.className = "ucwa-card__action";
      el.dataset.action = action;
      if (phone) el.dataset.phone = phone;
      if (extra) el.setAttribute("href", extra);
      el.textContent = text;
      actions.append(el);
    }
  }
  if (actions.firstChild) nodes.push(actions);
  body.replaceChildren(...nodes);
}

function renderFrom(el) {
  const data = el.getAttribute("data-card");
  if (data === null) return;
  const card = el.classList.contains("ucwa-card") ? el : el.parentElement.querySelector(":scope > .ucwa-card");
  if (card) render(card, data);
}

export function attach(root, openDelayMs, closeDelayMs) {
  // Cards follow their contact's data-card, from the first render on (live while open).
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") renderFrom(r.target);
      else for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.hasAttribute("data-card")) renderFrom(n);
        for (const el of n.querySelectorAll("[data-card]")) renderFrom(el);
      }
    }
  }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-card"] });
  // The trigger Escape gave focus back to: that focus must not open the card again.
  let returning = null;
  root.addEventListener("focusin", (e) => {
    const p = partsOf(e.target);
    if (!p || e.target !== p.trigger) return;
    if (returning === p.trigger) returning = null;
    else show(p, true);
  });
  root.addEventListener("focusout", (e) => {
    const p = partsOf(e.target);
    if (p && !p.person.contains(e.relatedTarget)) show(p, false);
  });
  root.addEventListener("keydown", (e) => {
    const p = partsOf(e.target);
    if (!p) return;
    if (e.key === "Escape" && !p.card.hidden) {
      show(p, false);
      if (p.person.getRootNode().activeElement !== p.trigger) {
        returning = p.trigger;
        p.trigger.focus();
      }
      e.preventDefault();
      e.stopPropagation();
    } else if ((e.key === "Enter" || e.key === " ") && e.target === p.trigger) {
      show(p, true);
      e.preventDefault();
    }
  });
  root.addEventListener("pointerover", (e) => {
    const p = partsOf(e.target);
    if (p && e.pointerType !== "touch" && !p.person.contains(e.relatedTarget)) later(p, true, openDelayMs);
  });
  root.addEventListener("pointerout", (e) => {
    const p = partsOf(e.target);
    if (p && !p.person.contains(e.relatedTarget)) later(p, false, closeDelayMs);
  });
  // A fixed card would stay put while the page scrolls under it: follow the trigger.
  window.addEventListener("scroll", () => {
    for (const card of root.querySelectorAll(".ucwa-person > .ucwa-card:not([hidden])")) {
      const p = partsOf(card);
      if (p) place(p.trigger, p.card);
    }
  }, { capture: true, passive: true });
}
