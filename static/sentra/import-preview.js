// The import preview: once the officer changes a column's mapping or a KBLI choice, say before they
// click that "Impor" will check the file again with the change first (nothing is imported yet).
document.addEventListener("DOMContentLoaded", () => {
  const note = document.getElementById("recheck-note");
  if (!note) return;
  const fields = document.querySelectorAll("select[data-initial], input[data-initial]");
  const changed = (field) =>
    field.type === "checkbox" ? field.checked !== (field.dataset.initial === "1") : field.value !== field.dataset.initial;
  const update = () => {
    note.hidden = !Array.from(fields).some(changed);
  };
  fields.forEach((field) => {
    field.addEventListener("change", update);
    field.addEventListener("input", update);
  });
  update();
});
