// List tables (table.list in a .table-scroll box), in two ways.
// - A table wider than the screen (a tablet, a phone turned sideways) scrolls sideways in its
//   own box instead of squeezing its words or widening the page. While the box does scroll, it
//   is a named region that Tab reaches, so that the arrow keys scroll it (WCAG 2.1.1, axe's
//   scrollable-region-focusable); while it does not, it is left alone: no tab stop and no
//   landmark for every table on a wide screen. Without this script the box scrolls all the
//   same, with a finger, a mouse or by tabbing to the links inside.
// - On a phone each row is a card and the headings are hidden: each cell gets its column's name.
(function () {
  "use strict";
  // "Table: {name}" in the page's language (base.html): the region is not named exactly as
  // the section it lies in, which is a landmark of its own.
  var script = document.currentScript;
  var NAMED = (script && script.dataset.named) || "{name}";

  // The region's name: the table's caption, else the heading its section is named by, else
  // the nearest heading before it.
  function name(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = box.closest("[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    if (!heading) {
      var headings = document.querySelectorAll("main h1, main h2, main h3, main summary");
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) {
          heading = headings[i];
        }
      }
    }
    return heading ? heading.textContent.trim() : "";
  }

  function mark(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls === (box.dataset.scrolls === "yes")) {
      return;
    }
    box.dataset.scrolls = scrolls ? "yes" : "no";
    if (scrolls) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      var named = name(box) || document.title;
      // A function, so that a "$&" in a heading is not read as a replacement pattern.
      box.setAttribute("aria-label", NAMED.replace("{name}", function () {
        return named;
      }));
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  // On a phone a list table is shown as a card per row (app.css, max-width 40rem) and its
  // column headings are hidden: each cell but the row's first (its name) gets its column's
  // heading in data-label, which the card shows in front of it ("Hoe dichtbij: Dichtbij").
  function label(table) {
    var names = [];
    table.querySelectorAll("thead tr:first-child th").forEach(function (th) {
      var span = th.colSpan || 1;
      for (var i = 0; i < span; i++) {
        names.push(th.textContent.trim());
      }
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (column > 0 && cell.tagName === "TD" && names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  // Loaded with defer: the page is read. A box's width changes with the window, and from
  // nothing when the <details> it lies in is opened.
  document.querySelectorAll(".table-scroll table.list").forEach(label);
  var boxes = document.querySelectorAll(".table-scroll");
  boxes.forEach(mark);
  if ("ResizeObserver" in window) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        mark(entry.target);
      });
    });
    boxes.forEach(function (box) {
      observer.observe(box);
    });
  } else {
    window.addEventListener("resize", function () {
      boxes.forEach(mark);
    });
  }
})();
