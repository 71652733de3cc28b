// The picker (org/widgets.py): a text field becomes a WAI-ARIA 1.2 combobox with a listbox
// of suggestions fetched by htmx. Without this script the field stays a plain text field
// that takes e-mails or names, so forms work the same either way.
(() => {
  "use strict";
  const MIN_LENGTH = 2;

  const words = (text) => text.toLowerCase().slice(0, 100).split(/\s+/).filter(Boolean);
  const searchable = (text) => words(text).slice(0, 4).join("").length >= MIN_LENGTH;
  const splitValues = (text) =>
    text.split(/[\n,]/).map((part) => part.trim()).filter(Boolean);

  function enhance(root) {
    if (root.dataset.pickerReady) return;
    root.dataset.pickerReady = "true";
    const multiple = root.hasAttribute("data-picker-multiple");
    const list = root.querySelector("[role=listbox]");
    const status = root.querySelector("[data-picker-status]");
    const input = root.querySelector("[data-picker-search]");
    const noun = root.dataset.pickerNoun || "person";
    const nouns = root.dataset.pickerNouns || "people";
    let holder; // the element whose value the form submits
    let chips = null;
    let active = -1;

    if (multiple) {
      holder = root.querySelector("textarea");
      chips = root.querySelector("[data-picker-chips]");
      // The label points at the field's id: hand it to the search box people type in.
      const id = holder.id;
      holder.id = `${id}-values`;
      input.id = id;
      for (const name of ["aria-describedby", "aria-invalid"]) {
        if (holder.hasAttribute(name)) input.setAttribute(name, holder.getAttribute(name));
      }
      holder.hidden = true;
      input.hidden = false;
      chips.hidden = false;
      for (const value of splitValues(holder.value)) addChip(value, value);
    } else {
      // Single: the form gets a hidden field; the box shows the chosen name or title.
      const menu = root.querySelector("select");
      holder = document.createElement("input");
      holder.type = "hidden";
      if (menu) {
        // The no-script menu gives way to the search; its choice is kept.
        holder.name = menu.name;
        holder.value = menu.value;
        const chosen = menu.selectedOptions[0];
        input.value = menu.value && chosen ? chosen.dataset.label || chosen.text : "";
        input.id = menu.id;
        for (const name of ["aria-describedby", "aria-invalid"]) {
          if (menu.hasAttribute(name)) input.setAttribute(name, menu.getAttribute(name));
        }
        input.hidden = false;
        menu.remove();
      } else {
        holder.name = input.name;
        holder.value = input.value;
        // Opened for someone: their name in the box, their e-mail in the form.
        if (input.dataset.pickerLabel && input.value) input.value = input.dataset.pickerLabel;
      }
      input.after(holder);
    }
    // A strict picker takes only what is picked: typed text is no value.
    const strict = root.hasAttribute("data-picker-strict");
    const form = holder.form;
    // The search box sends only `q`, and only to the search: it belongs to no form.
    input.dataset.pickerField = holder.name;
    input.name = "q";
    input.setAttribute("form", "picker-search-only");
    input.setAttribute("maxlength", "100");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("hx-get", root.dataset.pickerUrl);
    input.setAttribute("hx-trigger", "input changed delay:200ms");
    input.setAttribute("hx-target", `#${CSS.escape(list.id)}`);
    input.setAttribute("hx-swap", "innerHTML");
    input.setAttribute("hx-sync", "this:replace");
    if (window.htmx) window.htmx.process(input);

    const options = () => Array.from(list.querySelectorAll("[role=option]"));
    const isOpen = () => input.getAttribute("aria-expanded") === "true";

    function announce(text) {
      status.textContent = text;
    }

    function open() {
      if (!options().length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function setActive(index) {
      const all = options();
      active = index;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function chosenValues() {
      return Array.from(chips.querySelectorAll("[data-value]"), (chip) => chip.dataset.value);
    }

    function addChip(value, label) {
      if (chosenValues().some((v) => v.toLowerCase() === value.toLowerCase())) return false;
      const template = root.querySelector("template[data-picker-chip]");
      const chip = template.content.firstElementChild.cloneNode(true);
      chip.dataset.value = value;
      chip.querySelector(".chip-label").textContent = label;
      const remove = chip.querySelector("button");
      remove.setAttribute("aria-label", `Remove ${label}`);
      remove.title = `Remove ${label}`;
      chips.append(chip);
      holder.value = chosenValues().join("\n");
      return true;
    }

    function choose(option) {
      const { label } = option.dataset;
      const value = option.dataset[root.dataset.pickerKey || "value"];
      if (multiple) {
        const added = addChip(value, label);
        input.value = "";
        announce(added ? `${label} added.` : `${label} is already chosen.`);
      } else {
        input.value = label;
        holder.value = value;
        announce(`${label} chosen.`);
      }
      close();
      input.focus();
      changed();
    }

    // Forms that preview on "change" (feedback's audience) hear about the new value.
    function changed() {
      holder.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function addTyped() {
      const typed = input.value.trim();
      if (!typed) return;
      for (const value of splitValues(typed)) addChip(value, value);
      input.value = "";
    }

    input.addEventListener("input", () => {
      if (!multiple) holder.value = strict ? "" : input.value;
      input.removeAttribute("aria-invalid");
      if (!searchable(input.value)) {
        close();
        list.replaceChildren();
        announce(input.value.trim() ? "Type at least two letters of a name or e-mail." : "");
      }
    });

    // One letter would list everyone: no request, a hint instead (see the input handler).
    input.addEventListener("htmx:confirm", (event) => {
      if (!searchable(input.value)) event.preventDefault();
    });

    // The site answers NUL in an address with 400; a NUL pasted into the box is a space.
    input.addEventListener("htmx:configRequest", (event) => {
      event.detail.parameters.q = input.value.replace(/\0/g, " ");
    });

    list.addEventListener("htmx:afterSwap", () => {
      if (multiple) {
        // Whoever is already a chip is not offered again.
        const chosen = new Set(chosenValues().map((v) => v.toLowerCase()));
        options().forEach((option) => {
          if (chosen.has((option.dataset.value || "").toLowerCase())) option.remove();
        });
      }
      const all = options();
      all.forEach((option, i) => {
        option.id = `${list.id}-${i}`;
      });
      if (!all.length) {
        const note = list.querySelector("[data-picker-note]");
        announce(note ? note.textContent.trim() : `No ${nouns} found.`);
        list.replaceChildren();
        close();
        return;
      }
      announce(`${all.length} ${all.length === 1 ? noun : nouns} found.`);
      setActive(-1);
      if (document.activeElement === input) open();
    });

    input.addEventListener("keydown", (event) => {
      const all = options();
      switch (event.key) {
        case "ArrowDown":
          if (!all.length) return;
          event.preventDefault();
          if (!isOpen()) open();
          setActive(active < all.length - 1 ? active + 1 : 0);
          break;
        case "ArrowUp":
          if (!all.length) return;
          event.preventDefault();
          if (!isOpen()) open();
          setActive(active > 0 ? active - 1 : all.length - 1);
          break;
        case "Home":
        case "End":
          if (!isOpen()) return;
          event.preventDefault();
          setActive(event.key === "Home" ? 0 : all.length - 1);
          break;
        case "Enter":
          event.preventDefault();
          if (isOpen() && active >= 0) {
            choose(all[active]);
          } else if (multiple && input.value.trim()) {
            addTyped();
          } else if (form) {
            form.requestSubmit();
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            if (!multiple) holder.value = "";
            announce("");
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    });

    // Keep the focus in the box while an option is clicked, then take the option.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
    input.addEventListener("focusout", () => close());
    input.addEventListener("focus", () => {
      if (options().length && searchable(input.value)) open();
    });

    if (multiple) {
      chips.addEventListener("click", (event) => {
        const button = event.target.closest("button");
        if (!button) return;
        const chip = button.closest("[data-value]");
        const label = chip.querySelector(".chip-label").textContent;
        chip.remove();
        holder.value = chosenValues().join("\n");
        announce(`${label} removed.`);
        changed();
        input.focus();
      });
      // What is still typed when the form is sent counts too: the form resolves it.
      if (form) form.addEventListener("submit", addTyped);
    }
    if (strict && form) {
      form.addEventListener("submit", (event) => {
        if (input.value.trim() && !holder.value) {
          event.preventDefault();
          input.setAttribute("aria-invalid", "true");
          announce(`Pick a ${noun} from the list, or clear the box.`);
          input.focus();
        }
      });
    }
  }

  function enhanceWithin(node) {
    if (!node || !node.querySelectorAll) return;
    if (node.matches && node.matches("[data-picker]")) enhance(node);
    node.querySelectorAll("[data-picker]").forEach(enhance);
  }

  enhanceWithin(document);
  document.addEventListener("htmx:load", (event) => enhanceWithin(event.detail.elt));
})();
