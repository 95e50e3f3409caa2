/* kdata site: filters and search for the timeline. The list is pre-rendered; this script
   only hides and reorders it, and keeps the filters in the address so a view can be shared. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var list = document.getElementById("events");
  if (!form || !list) { return; }
  var count = document.getElementById("count");
  var fields = ["q", "from", "to", "track", "type", "actor", "order"];
  var items = Array.prototype.map.call(list.children, function (li) {
    return {
      li: li,
      year: parseInt(li.getAttribute("data-year"), 10),
      track: li.getAttribute("data-track"),
      type: li.getAttribute("data-type"),
      actors: " " + li.getAttribute("data-actors") + " ",
      text: null  // title and summary, lower-cased on the first search
    };
  });

  function text(item) {
    if (item.text === null) {
      item.text = (item.li.querySelector("h2").textContent + "\n" +
                   item.li.querySelector(".summary").textContent).toLowerCase();
    }
    return item.text;
  }
  var order = "oldest";

  function value(name) { return form.elements[name].value.trim(); }

  function apply() {
    var terms = value("q").toLowerCase().split(/\s+/).filter(Boolean);
    var from = parseInt(value("from"), 10), to = parseInt(value("to"), 10);
    var track = value("track"), type = value("type"), actor = value("actor");
    var shown = 0;
    items.forEach(function (item) {
      var ok = (isNaN(from) || item.year >= from) && (isNaN(to) || item.year <= to) &&
        (!track || item.track === track) && (!type || item.type === type) &&
        (!actor || item.actors.indexOf(" " + actor + " ") >= 0) &&
        terms.every(function (t) { return text(item).indexOf(t) >= 0; });
      item.li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (value("order") !== order) {
      order = value("order");
      var fragment = document.createDocumentFragment();
      for (var i = list.children.length - 1; i >= 0; i -= 1) { fragment.appendChild(list.children[i]); }
      list.appendChild(fragment);
    }
    count.innerHTML = "";
    var strong = document.createElement("strong");
    strong.textContent = String(shown);
    count.appendChild(strong);
    count.appendChild(document.createTextNode(shown === 1 ? " event" : " events"));
    remember();
  }

  function remember() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      var v = value(name);
      if (v && !(name === "order" && v === "oldest")) { params.set(name, v); }
    });
    var query = params.toString();
    try {
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    } catch (e) { /* some browsers refuse this for pages opened from disk */ }
  }

  var params = new URLSearchParams(location.search);
  fields.forEach(function (name) {
    if (params.has(name)) { form.elements[name].value = params.get(name); }
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
}());
