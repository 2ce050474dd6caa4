// The status menu of <ucwa-status> (src/ui/status/mod.rs), delegated from the widget root
// (attached by note.js's noteAttach): cheaper here than through web-sys and Leptos event
// handlers. Rust renders the options and their aria-selected and handles a click on an option
// (the pick); this opens and closes the menu (hidden, aria-expanded), moves the active option
// (ucwa-option--active, aria-activedescendant) and focus. Enter or Space on an option clicks it.

function menuParts(node) {
  const picker = node && node.closest ? node.closest(".ucwa-picker") : null;
  if (!picker) return null;
  const list = picker.querySelector("[role=listbox]");
  return { picker, list, button: picker.querySelector(".ucwa-picker__button"),
    options: [...list.querySelectorAll("[role=option]")] };
}

function activeIndex(p) {
  return Math.max(0, p.options.findIndex((o) => o.classList.contains("ucwa-option--active")));
}

function setActive(p, i) {
  p.options.forEach((o, k) => o.classList.toggle("ucwa-option--active", k === i));
  p.list.setAttribute("aria-activedescendant", p.options[i].id);
}

// Opens on the current availability (the first option when it is not in the menu).
function openMenu(p) {
  setActive(p, Math.max(0, p.options.findIndex((o) => o.getAttribute("aria-selected") === "true")));
  p.list.hidden = false;
  p.button.setAttribute("aria-expanded", "true");
  p.list.focus();
}

function closeMenu(p, refocus) {
  p.list.hidden = true;
  p.button.setAttribute("aria-expanded", "false");
  if (refocus) p.button.focus();
}

export function menuAttach(root) {
  root.addEventListener("click", (e) => {
    const p = menuParts(e.target);
    if (!p) return;
    if (p.button.contains(e.target)) {
      if (p.list.hidden) openMenu(p);
      else closeMenu(p, false);
    } else if (e.target.closest("[role=option]")) closeMenu(p, true);
  });
  root.addEventListener("keydown", (e) => {
    const p = menuParts(e.target);
    if (!p) return;
    const n = p.options.length;
    const i = activeIndex(p);
    if (e.target === p.button) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      openMenu(p);
    } else if (e.target !== p.list) return;
    else if (e.key === "ArrowDown") setActive(p, (i + 1) % n);
    else if (e.key === "ArrowUp") setActive(p, (i + n - 1) % n);
    else if (e.key === "Home") setActive(p, 0);
    else if (e.key === "End") setActive(p, n - 1);
    else if (e.key === "Enter" || e.key === " ") p.options[i].click();
    else if (e.key === "Escape") closeMenu(p, true);
    else {
      if (e.key === "Tab") closeMenu(p, false);
      return;
    }
    e.preventDefault();
  });
  // Focus leaving the picker (a click elsewhere, Tab) closes the menu. Focus moving to the
  // button is left to the button's own click, which toggles.
  root.addEventListener("focusout", (e) => {
    const p = menuParts(e.target);
    if (p && !p.picker.contains(e.relatedTarget)) closeMenu(p, false);
  });
  root.addEventListener("mousemove", (e) => {
    const option = e.target.closest && e.target.closest("[role=option]");
    const p = option && menuParts(option);
    if (p) setActive(p, p.options.indexOf(option));
  });
}

// The index of the option a click on the menu is about, if it is about one.
export function menuChoice(ev) {
  const option = ev.target.closest("[role=option]");
  return option ? menuParts(option).options.indexOf(option) : undefined;
}
