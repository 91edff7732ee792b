// The registry list's download links and its map link take the filters, search and sort as they are at
// the moment of the click, so a search typed a moment ago (its results still loading) is in them too.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-export-format], a[data-with-filters]");
  const form = document.getElementById("filters");
  if (!link || !form) return;
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (value !== "") params.append(key, value);
  }
  if (link.dataset.exportFormat) params.set("format", link.dataset.exportFormat);
  if (link.dataset.exportLayout) params.set("layout", link.dataset.exportLayout);
  if (link.hasAttribute("data-with-filters")) params.delete("sort"); // a map has no order
  link.href = `${link.pathname}?${params}`;
});

// Leaving the search box fires "change" with nothing new (typing already refreshed the list): keep it
// from the filter form, so a click on a link or a button right after typing is not raced by a refresh.
document.addEventListener(
  "change",
  (event) => {
    if (event.target.id === "id_q") event.stopPropagation();
  },
  true,
);
