// digistyr's own script: a static file, as the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // Every table in the page scrolls inside its own region, so that a wide table never makes
  // the page scroll sideways (WCAG 1.4.10, reflow at 320 CSS px). The region is focusable,
  // so it can be scrolled with the keyboard, and named by the table's caption. A table that
  // already sits in a scroll region (a grid of form fields, say) is left as it is.
  var counter = 0;

  function regionNamed(name) {
    var regions = document.querySelectorAll("[role=region][aria-labelledby]");
    for (var i = 0; i < regions.length; i++) {
      var label = document.getElementById(regions[i].getAttribute("aria-labelledby"));
      if (label && label.textContent.trim() === name) return true;
    }
    return false;
  }

  function wrapTables(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table") : [];
    if (root.tagName === "TABLE") tables = [root];
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (!table.closest("main") || table.closest(".table--responsive-scroll, .table-responsive")) {
        continue;
      }
      var region = document.createElement("div");
      region.className = "table--responsive-scroll";
      region.setAttribute("tabindex", "0");
      var caption = table.caption;
      var name = caption ? caption.textContent.trim() : "";
      // A landmark's name must be unique in the page: a second table of the same caption
      // gets a named group instead of a region.
      region.setAttribute("role", name && !regionNamed(name) ? "region" : "group");
      if (caption) {
        if (!caption.id) caption.id = "table-caption-" + (++counter);
        region.setAttribute("aria-labelledby", caption.id);
      } else {
        region.setAttribute("aria-label", document.documentElement.lang === "en" ? "Table" : "Tabel");
      }
      // Moving a node drops the focus inside it: an htmx swap may just have put it there.
      var focused = document.activeElement;
      var hadFocus = focused && focused !== document.body && table.contains(focused);
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
      if (hadFocus && document.activeElement !== focused) focused.focus({ preventScroll: true });
    }
  }

  // Content htmx swaps in is wrapped before it settles.
  document.addEventListener("htmx:load", function (event) {
    wrapTables(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    wrapTables(document);
    // The design system's navigation (dkfds.min.js, loaded before this file): the mobile drawer
    // below 992 px, opened by the menu button and closed by its close button, the overlay or
    // Escape, and the "more" menu that takes the main menu's items that do not fit above it.
    if (window.DKFDS && document.querySelector(".js-menu-open")) {
      new window.DKFDS.Navigation().init();
    }
  });
})();
