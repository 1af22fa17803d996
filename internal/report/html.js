"use strict";
(function () {
  var list = document.getElementById("finding-list");
  var form = document.getElementById("controls");
  if (list && form) {
    var items = Array.prototype.slice.call(list.children);
    var sev = document.getElementById("filter-severity");
    var rule = document.getElementById("filter-rule");
    var endpoint = document.getElementById("filter-endpoint");
    var sort = document.getElementById("sort");
    var shown = document.getElementById("shown");
    var keys = {
      order: function (li) { return [+li.dataset.order]; },
      severity: function (li) { return [-li.dataset.severity, +li.dataset.order]; },
      rule: function (li) { return [li.dataset.rule, +li.dataset.order]; },
      place: function (li) { return [li.dataset.place, +li.dataset.order]; },
      endpoint: function (li) { return [li.dataset.endpoint || "\uffff", +li.dataset.order]; }
    };
    var compare = function (a, b) {
      for (var i = 0; i < a.length; i++) {
        if (a[i] < b[i]) return -1;
        if (a[i] > b[i]) return 1;
      }
      return 0;
    };
    var apply = function () {
      var key = keys[sort.value] || keys.order;
      items.slice().sort(function (a, b) { return compare(key(a), key(b)); })
        .forEach(function (li) { list.appendChild(li); });
      var n = 0;
      items.forEach(function (li) {
        var ok = (!sev.value || +li.dataset.severity >= +sev.value) &&
          (!rule.value || li.dataset.rule === rule.value) &&
          (!endpoint.value || (endpoint.value === "-" ? li.dataset.endpoint === "" : li.dataset.endpoint === endpoint.value));
        li.hidden = !ok;
        if (ok) n++;
      });
      document.querySelectorAll("article.endpoint").forEach(function (a) {
        a.hidden = !!endpoint.value && a.dataset.endpoint !== endpoint.value;
      });
      shown.textContent = n + " of " + items.length + " shown";
    };
    [sev, rule, endpoint, sort].forEach(function (s) { s.addEventListener("change", apply); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
  }
  // Printed, the chart data tables are part of the report.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
