// The review form: active writing time, "Link in my answer" for evidence items, the line
// that explains the focused or chosen rating, and the evidence drawer on a phone.
// Autosave itself is htmx (hx-post on the form); this only adds what htmx cannot do.
(() => {
  const form = document.querySelector("[data-review-form]");
  if (!form) return;
  const activeField = form.querySelector("[data-active-seconds]");

  // Active time, not wall time: a second counts only while the page is visible and the
  // writer typed, clicked or moved focus in the last minute. An idle tab adds nothing.
  const IDLE_AFTER_MS = 60 * 1000;
  let lastActivity = 0;
  let active = 0;
  let sending = 0;
  const touch = () => { lastActivity = Date.now(); };
  ["input", "keydown", "pointerdown", "focusin"].forEach((name) => form.addEventListener(name, touch));
  setInterval(() => {
    if (document.visibilityState === "visible" && Date.now() - lastActivity < IDLE_AFTER_MS) {
      active += 1;
      if (activeField) activeField.value = String(active);
    }
  }, 1000);

  form.addEventListener("htmx:configRequest", (event) => {
    sending = active;
    event.detail.parameters.active_seconds = String(sending);
  });
  form.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) {
      active = Math.max(0, active - sending);
      if (activeField) activeField.value = String(active);
    }
    sending = 0;
  });

  // The evidence drawer (phone only, see tandem.css "Review form"). Without this script
  // the panel simply stays in the page under the form, so nothing depends on it.
  const drawer = (() => {
    const layout = document.querySelector("[data-review-layout]");
    const panel = document.querySelector("[data-evidence-panel]");
    const toggle = document.querySelector("[data-evidence-toggle]");
    const close = document.querySelector("[data-evidence-close]");
    const none = { isOpen: () => false, shut: () => {}, show: () => {}, phone: () => false };
    if (!layout || !panel || !toggle || !close) return none;
    const phone = window.matchMedia("(max-width: 767.98px)");
    layout.classList.add("has-drawer");
    toggle.hidden = false;
    close.hidden = false;
    const isOpen = () => panel.classList.contains("is-open");
    const show = () => {
      panel.classList.add("is-open");
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      toggle.setAttribute("aria-expanded", "true");
      document.body.classList.add("drawer-open");
      close.focus();
    };
    const shut = (restore = true) => {
      panel.classList.remove("is-open");
      panel.setAttribute("role", "region");
      panel.removeAttribute("aria-modal");
      toggle.setAttribute("aria-expanded", "false");
      document.body.classList.remove("drawer-open");
      if (restore) toggle.focus();
    };
    toggle.addEventListener("click", () => (isOpen() ? shut() : show()));
    close.addEventListener("click", () => shut());
    document.addEventListener("keydown", (event) => {
      if (!isOpen()) return;
      if (event.key === "Escape") {
        event.preventDefault();
        shut();
      } else if (event.key === "Tab") {
        // A modal drawer keeps focus inside until it is closed (WAI-ARIA dialog pattern).
        const stops = [...panel.querySelectorAll("a[href], button, summary, textarea, input, select")]
          .filter((el) => !el.hidden && !el.disabled && el.offsetParent !== null);
        if (!stops.length) return;
        const first = stops[0];
        const last = stops[stops.length - 1];
        if (event.shiftKey && (document.activeElement === first || document.activeElement === panel)) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    // Turning a tablet or widening the window puts the panel back beside the form.
    phone.addEventListener("change", () => { if (!phone.matches && isOpen()) shut(false); });
    return { isOpen, shut, show, phone: () => phone.matches };
  })();

  // A goal row's "check-ins" link shows that goal in the evidence panel (the drawer on a
  // phone) without scrolling the form away from the question being answered.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.item-evidence");
    if (!link) return;
    const item = document.getElementById(link.getAttribute("href").slice(1));
    if (!item) return;
    event.preventDefault();
    if (drawer.phone()) drawer.show();
    item.setAttribute("tabindex", "-1");
    item.scrollIntoView({ block: "nearest" });
    item.focus({ preventScroll: true });
  });

  // Rating rows: the line under a row says what the focused, hovered or chosen point means.
  const hintFor = (input) => document.getElementById(`${input.name}-hint`);
  const showHint = (input) => {
    const hint = hintFor(input);
    if (hint) hint.textContent = input.getAttribute("data-hint") || "";
  };
  const restoreHint = (input) => {
    const chosen = [...form.querySelectorAll(".scale-input")]
      .find((other) => other.name === input.name && other.checked);
    const hint = hintFor(input);
    if (hint) hint.textContent = chosen ? chosen.getAttribute("data-hint") || "" : "";
  };
  form.addEventListener("focusin", (event) => {
    if (event.target.matches(".scale-input")) showHint(event.target);
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches(".scale-input")) showHint(event.target);
  });
  form.addEventListener("focusout", (event) => {
    if (event.target.matches(".scale-input")) restoreHint(event.target);
  });
  form.addEventListener("pointerover", (event) => {
    const label = event.target.closest(".scale-choice");
    const input = label && label.querySelector(".scale-input");
    if (input) showHint(input);
  });
  form.addEventListener("pointerout", (event) => {
    const label = event.target.closest(".scale-choice");
    const input = label && label.querySelector(".scale-input");
    if (input && !label.contains(event.relatedTarget)) {
      if (document.activeElement && document.activeElement.name === input.name) {
        showHint(document.activeElement);
      } else {
        restoreHint(input);
      }
    }
  });

  // Remember the last answer box the writer was in, to insert evidence links there.
  let target = null;
  form.addEventListener("focusin", (event) => {
    if (event.target.matches("textarea[data-evidence-target]")) target = event.target;
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-insert-ref]");
    if (!button) return;
    const box = target || form.querySelector("textarea[data-evidence-target]");
    if (!box) return;
    // On a phone the answer box is under the drawer: close it and go back to writing.
    if (drawer.isOpen()) drawer.shut(false);
    const details = box.closest("details");
    if (details) details.open = true;
    const ref = button.getAttribute("data-insert-ref");
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    const before = box.value.slice(0, start);
    const spacer = before && !/\s$/.test(before) ? " " : "";
    box.value = before + spacer + ref + box.value.slice(end);
    const caret = start + spacer.length + ref.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    // Let htmx autosave see the change, as if it had been typed.
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
