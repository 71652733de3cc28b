// The 9-box's drag-and-drop (calibration session page). Dropping a person on another box
// opens the reason dialog, preset to that box's potential and a rating inside its
// performance band; only "Save the move" posts, to the same address as the table's "Move"
// form (which is the keyboard and no-script way to do the same). Cancelling saves nothing.
(() => {
  const board = document.querySelector("[data-nine-box][data-editable]");
  const dialog = document.querySelector("[data-move-dialog]");
  if (!board || !dialog) return;
  const form = dialog.querySelector("[data-move-form]");
  const title = dialog.querySelector("[data-move-title]");
  const ratingSelect = dialog.querySelector("[data-move-rating]");
  const potentialInput = dialog.querySelector("[data-move-potential]");
  const status = document.querySelector("[data-move-status]");
  const allRatings = Array.from(ratingSelect.options).map((o) => Number(o.value));
  const points = allRatings.length;
  const bandOf = (rating) => Math.min(3, Math.max(1, Math.ceil((rating * 3) / points)));
  let dragged = null;
  let saving = false;

  board.addEventListener("dragstart", (event) => {
    const person = event.target.closest("[data-entry]");
    if (!person) return;
    dragged = person;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", person.dataset.entry);
  });
  board.addEventListener("dragover", (event) => {
    const cell = event.target.closest(".nine-box-cell");
    if (cell && dragged) {
      event.preventDefault();
      cell.classList.add("is-target");
    }
  });
  board.addEventListener("dragleave", (event) => {
    const cell = event.target.closest(".nine-box-cell");
    if (cell) cell.classList.remove("is-target");
  });
  board.addEventListener("drop", (event) => {
    const cell = event.target.closest(".nine-box-cell");
    if (!cell || !dragged) return;
    event.preventDefault();
    cell.classList.remove("is-target");
    open(dragged, Number(cell.dataset.band), Number(cell.dataset.potential));
    dragged = null;
  });

  function open(person, band, potential) {
    const current = Number(person.dataset.rating);
    const inBand = allRatings.filter((value) => bandOf(value) === band);
    const chosen = inBand.includes(current) ? current : inBand[Math.floor(inBand.length / 2)];
    for (const option of ratingSelect.options) {
      option.hidden = !inBand.includes(Number(option.value));
      option.disabled = option.hidden;
    }
    ratingSelect.value = String(chosen);
    potentialInput.value = String(potential);
    form.action = person.dataset.adjust;
    title.textContent = `Move ${person.dataset.name}`;
    saving = false;
    dialog.showModal();
    dialog.querySelector("select[name=category]").focus();
  }

  form.addEventListener("submit", () => {
    saving = true;
  });
  dialog.querySelector("[data-move-cancel]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (!saving && status) status.textContent = "Not moved: a move is saved only with a reason.";
  });
})();
