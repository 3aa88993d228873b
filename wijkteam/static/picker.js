// The search next to a choice from a list of the team that can grow (wijkteam/web/picker.py:
// the resource catalogue, the key figures): the choices follow the typing, read from the list's
// options answer (the input's data-options). The choices already made stay. Without this script
// the "Search" button next to the field posts the form back and shows what was found; nothing
// is saved either way, and nothing typed elsewhere in the form is lost. Enter in another field
// saves the form: a hidden button before the search button is the form's first (the macro
// enter_saves); without this script it searches instead while new words wait in the search.
(function () {
  "use strict";
  var WAIT_MS = 250;

  function keepChosen(target) {
    // The nodes to keep (the blank choice and what is chosen) and their values.
    var kept = [];
    if (target.tagName === "SELECT") {
      Array.prototype.forEach.call(target.options, function (option) {
        if (option.value === "" || option.selected) {
          kept.push({ node: option, value: option.value });
        }
      });
    } else {
      target.querySelectorAll("li").forEach(function (item) {
        var box = item.querySelector("input");
        if (box && box.checked) {
          kept.push({ node: item, value: box.value });
        }
      });
    }
    return kept;
  }

  function newChoice(target, option) {
    if (target.tagName === "SELECT") {
      var node = document.createElement("option");
      node.value = String(option.id);
      node.textContent = option.label;
      return node;
    }
    var item = document.createElement("li");
    var box = document.createElement("input");
    var label = document.createElement("label");
    box.type = "checkbox";
    box.name = target.dataset.name || target.id;
    box.value = String(option.id);
    box.id = target.id + "-found-" + option.id;
    label.htmlFor = box.id;
    label.textContent = option.label;
    item.appendChild(box);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(label);
    return item;
  }

  function show(target, found, options, more) {
    var kept = keepChosen(target);
    var values = kept.map(function (k) {
      return k.value;
    });
    while (target.firstChild) {
      target.removeChild(target.firstChild);
    }
    kept.forEach(function (k) {
      target.appendChild(k.node);
    });
    options.forEach(function (option) {
      if (values.indexOf(String(option.id)) === -1) {
        target.appendChild(newChoice(target, option));
      }
    });
    found.textContent = more ? found.dataset.more : options.length ? "" : found.dataset.none;
  }

  function watch(input) {
    var target = document.getElementById(input.dataset.for);
    var found = document.getElementById(input.getAttribute("aria-describedby"));
    if (!target || !found) {
      return;
    }
    var timer = null;
    var asked = 0;

    // What the choices show, for the server: Enter in another field saves unless the words in
    // the search are not yet searched (web.helpers.refining).
    var shown = input.form ? input.form.elements[input.name + "_shown"] : null;

    function search() {
      var mine = ++asked;
      var words = input.value.trim();
      var url = input.dataset.options + "&q=" + encodeURIComponent(words);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && mine === asked) {
            show(target, found, answer.options, answer.more);
            if (shown) {
              shown.value = words;
            }
          }
        })
        .catch(function () {
          // offline: the search button still works once the connection is back
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter searches here; it does not post the form.
        event.preventDefault();
        clearTimeout(timer);
        search();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-options][data-for]").forEach(function (input) {
      watch(input);
    });
  });
})();
