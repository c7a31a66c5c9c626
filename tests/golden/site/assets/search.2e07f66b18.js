/* The /search/ page, on Pagefind's JS API (pagefind.js) with its own small rendering.
   Pagefind's Default UI loads every filter's data at start, which on a large archive is
   the biggest part of a first query; here the filter data is fetched only when the
   reader opens the filters. The query and order are kept in the URL (?q=…&sort=newest),
   so a search can be linked, bookmarked and reloaded. Loaded only by search.html. */
(function () {
  "use strict";

  // Results fetched and shown at a time: each one is a request for its page's record.
  var PAGE_SIZE = 5;
  // Searching as the reader types, but only once they pause: every search fetches the
  // index chunk of its words, and the chunk of a half-typed word is wasted bytes.
  var TYPING_PAUSE_MS = 300;
  // Filter groups in this order; any other group follows in alphabetical order.
  var GROUPS = ["topic", "section", "author", "year"];
  // Filter values reach Pagefind HTML-escaped (see pagefind_text in partials/macros.html).
  // They are shown as text, so undo that escaping; one pass, so "&amp;lt;" stays "&lt;".
  var ENTITIES = { "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#34;": "\"", "&#39;": "'",
                   "&amp;": "&" };

  var root = document.getElementById("search");
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-q");
  var controls = root.querySelector(".search-controls");
  var sort = document.getElementById("search-sort");
  var filterPanel = root.querySelector(".search-filters");
  var groupsBox = root.querySelector(".search-filter-groups");
  var status = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var bundle = root.getAttribute("data-bundle");
  var baseUrl = root.getAttribute("data-base");
  var pageLang = document.documentElement.lang;

  var pagefind = null;
  var chosen = {};          // filter name -> the (escaped) values ticked
  var counts = {};          // filter name -> value -> the count element in its label
  var filtersState = "";    // "", "loading" or "loaded"
  var totals = {};          // filter name -> value -> pages in the whole index, once loaded
  var searchId = 0;         // the newest search; an older, slower answer is dropped
  var queues = [];          // results not shown yet: one list, or one per index (below)
  var rendering = Promise.resolve();
  var typing = null;

  function param(name) {
    return new URL(window.location.href).searchParams.get(name) || "";
  }

  function setParam(name, value) {
    var url = new URL(window.location.href);
    if (value) {
      url.searchParams.set(name, value);
    } else {
      url.searchParams.delete(name);
    }
    window.history.replaceState(null, "", url.toString());
  }

  function decode(value) {
    return value.replace(/&(lt|gt|quot|#34|#39|amp);/g, function (entity) {
      return ENTITIES[entity];
    });
  }

  // Every piece of text from the index is set as text, never parsed as HTML.
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function searchOptions() {
    var filters = {};
    Object.keys(chosen).forEach(function (name) {
      if (chosen[name].length) {
        // Any of the ticked values within a group, all groups together.
        filters[name] = { any: chosen[name] };
      }
    });
    return { filters: filters, sort: sort.value === "newest" ? { date: "desc" } : {} };
  }

  function search() {
    var query = input.value.trim();
    var options = searchOptions();
    var id = ++searchId;
    if (!query && !Object.keys(options.filters).length) {
      queues = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      updateCounts(totals);
      return;
    }
    // A null query lists every page that matches the filters.
    pagefind.search(query || null, options).then(function (response) {
      if (id === searchId) {
        show(response, query, Boolean(options.sort.date));
      }
    });
  }

  function show(response, query, newest) {
    var total = response.results.length;
    var noun = total === 1 ? " result" : " results";
    queues = newest ? byIndex(response.results) : [response.results.slice()];
    list.textContent = "";
    more.hidden = true;
    rendering = Promise.resolve();
    if (!total) {
      status.textContent = query ? "No results for “" + query + "”" : "No results";
    } else {
      status.textContent = total + noun + (query ? " for “" + query + "”" : "");
    }
    updateCounts(response.filters);
    showMore();
  }

  // With a sort, Pagefind orders each index's results by date but merges the indexes by
  // score, which for a sorted search is only the rank within its own index; so newest
  // first across languages is a merge by date here. A result's id starts with its index.
  function byIndex(found) {
    var lists = {};
    found.forEach(function (result) {
      var index = result.id.split("_")[0];
      (lists[index] = lists[index] || []).push(result);
    });
    return Object.keys(lists).map(function (index) { return lists[index]; });
  }

  // The next `count` pages' records from `from`, in order; a merge by date reads only the
  // record at the head of each index's list (Pagefind keeps each record once fetched).
  function take(from, count) {
    if (from.length === 1) {
      return Promise.all(from[0].splice(0, count).map(function (result) {
        return result.data();
      }));
    }
    var pages = [];
    function next() {
      var heads = from.filter(function (queue) { return queue.length; });
      if (pages.length === count || !heads.length) {
        return Promise.resolve(pages);
      }
      return Promise.all(heads.map(function (queue) { return queue[0].data(); }))
        .then(function (records) {
          var newest = 0;
          records.forEach(function (record, i) {
            if ((record.meta.date || "") > (records[newest].meta.date || "")) {
              newest = i;
            }
          });
          heads[newest].shift();
          pages.push(records[newest]);
          return next();
        });
    }
    return next();
  }

  function showMore() {
    var id = searchId;
    var from = queues;
    // Batches are appended in order even if a later one's records arrive first.
    rendering = rendering.then(function () {
      return take(from, PAGE_SIZE);
    }).then(function (pages) {
      if (id !== searchId || !pages.length) {
        return;
      }
      var items = pages.map(resultItem);
      items.forEach(function (item) { list.appendChild(item); });
      var hadFocus = document.activeElement === more;
      more.hidden = !from.some(function (queue) { return queue.length; });
      // The button goes once all are shown; its focus moves on to the first new result.
      if (hadFocus && more.hidden) {
        items[0].querySelector("a").focus();
      }
    });
  }

  function formatDate(iso) {
    var date = new Date(iso + "T00:00:00Z");
    if (isNaN(date.getTime())) {
      return iso;
    }
    return date.toLocaleDateString(pageLang, { day: "numeric", month: "long", year: "numeric",
                                               timeZone: "UTC" });
  }

  function resultItem(page) {
    var meta = page.meta || {};
    var item = element("li", "search-result");
    // Results from another language's index (an Urdu story) set their own direction.
    item.dir = "auto";
    var heading = element("h2", "search-result-title");
    var link = element("a", "search-result-link", meta.title || page.url);
    link.href = page.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var line = element("p", "search-result-meta");
    if (meta.dateline) {
      line.appendChild(document.createTextNode(meta.dateline + " · "));
    }
    if (meta.date) {
      var time = element("time", "", formatDate(meta.date));
      time.dateTime = meta.date;
      line.appendChild(time);
    }
    if (meta.byline) {
      line.appendChild(document.createTextNode(" · By " + meta.byline));
    }
    item.appendChild(line);
    var excerpt = element("p", "search-result-excerpt");
    // The one piece of HTML on the page: Pagefind escapes the page text before it wraps
    // the matched words in <mark>.
    excerpt.innerHTML = page.excerpt;
    item.appendChild(excerpt);
    return item;
  }

  function groupOrder(a, b) {
    var i = GROUPS.indexOf(a) < 0 ? GROUPS.length : GROUPS.indexOf(a);
    var j = GROUPS.indexOf(b) < 0 ? GROUPS.length : GROUPS.indexOf(b);
    return i - j || (a < b ? -1 : a > b ? 1 : 0);
  }

  // The groups are built once, from the whole index, and only their counts change with
  // each search, so a ticked box keeps the keyboard focus.
  function buildFilters() {
    groupsBox.textContent = "";
    Object.keys(totals).sort(groupOrder).forEach(function (name) {
      var values = Object.keys(totals[name]);
      if (name === "year") {
        values.sort().reverse();
      } else {
        values.sort(function (a, b) { return decode(a).localeCompare(decode(b)); });
      }
      var group = element("fieldset", "search-filter");
      group.appendChild(element("legend", "search-filter-name", name));
      counts[name] = {};
      chosen[name] = chosen[name] || [];
      values.forEach(function (value) {
        var label = element("label", "search-filter-label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.checked = chosen[name].indexOf(value) >= 0;
        box.addEventListener("change", function () {
          chosen[name] = chosen[name].filter(function (v) { return v !== value; });
          if (box.checked) {
            chosen[name].push(value);
          }
          search();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(decode(value)));
        counts[name][value] = label.appendChild(element("span", "search-filter-count"));
        group.appendChild(label);
      });
      groupsBox.appendChild(group);
    });
  }

  function updateCounts(byGroup) {
    Object.keys(counts).forEach(function (name) {
      Object.keys(counts[name]).forEach(function (value) {
        var count = (byGroup[name] && byGroup[name][value]) || 0;
        counts[name][value].textContent = " (" + count + ")";
        counts[name][value].parentNode.classList.toggle("is-empty", count === 0);
      });
    });
  }

  // Pagefind fetches every filter's data for filters(); that waits for the reader.
  function loadFilters() {
    if (!filterPanel.open || filtersState) {
      return;
    }
    filtersState = "loading";
    groupsBox.textContent = "Loading filters…";
    pagefind.filters().then(function (all) {
      filtersState = "loaded";
      totals = all;
      buildFilters();
      search();
    }, function () {
      filtersState = "";
      groupsBox.textContent = "The filters could not be loaded.";
    });
  }

  function unavailable() {
    document.querySelector(".search-unavailable").hidden = false;
  }

  // Pagefind keeps one index per <html lang>; this page searches its own language and
  // merges in the others, so an Urdu story is found too. Pagefind skips a merge whose
  // path is a prefix of its own bundle path, so they name the same bundle by its full URL.
  function otherLanguages(entry) {
    return Object.keys(entry.languages || {}).filter(function (lang) {
      return lang !== pageLang && lang.split("-")[0] !== pageLang.split("-")[0];
    });
  }

  function start(entry, module) {
    pagefind = module;
    var fullBundle = new URL(bundle, window.location.href).href;
    // The worker would be one more script to fetch; a search of this index takes
    // milliseconds on the page's own thread.
    return pagefind.options({ basePath: bundle, baseUrl: baseUrl, noWorker: true })
      .then(function () {
        return Promise.all(otherLanguages(entry).map(function (lang) {
          return pagefind.mergeIndex(fullBundle, { language: lang, baseUrl: baseUrl });
        }));
      })
      .then(function () {
        controls.hidden = false;
        // What the reader typed while the index loaded wins over the URL's query.
        input.value = input.value.trim() || param("q");
        setParam("q", input.value.trim());
        sort.value = param("sort") === "newest" ? "newest" : "";
        input.addEventListener("input", function () {
          setParam("q", input.value.trim());
          window.clearTimeout(typing);
          typing = window.setTimeout(search, TYPING_PAUSE_MS);
        });
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          window.clearTimeout(typing);
          setParam("q", input.value.trim());
          search();
        });
        sort.addEventListener("change", function () {
          setParam("sort", sort.value);
          search();
        });
        filterPanel.addEventListener("toggle", loadFilters);
        more.addEventListener("click", showMore);
        search();
      });
  }

  fetch(bundle + "pagefind-entry.json")
    .then(function (response) {
      if (!response.ok) {
        throw new Error("no search index");
      }
      return response.json();
    })
    .then(function (entry) {
      return import(bundle + "pagefind.js").then(function (module) {
        return start(entry, module);
      });
    })
    .catch(unavailable);
})();
