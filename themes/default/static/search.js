/* The /search/ page: Pagefind's Default UI, started from and kept in the URL
   (?q=…&sort=newest), so a search can be linked, bookmarked and reloaded.
   Loaded only by search.html, after /pagefind/pagefind-ui.js. */
(function () {
  "use strict";

  var root = document.getElementById("search");
  var form = document.querySelector(".search-form");
  var order = document.querySelector(".search-order");
  var sort = document.getElementById("search-sort");
  var bundle = root.getAttribute("data-bundle");
  var ui = null;

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

  // Pagefind keeps one index per <html lang>; the UI searches this page's
  // language and merges in the others, so an Urdu story is found too.
  // Pagefind skips a merge whose path is a prefix of its own bundle path, so the
  // merged indexes name the same bundle by its absolute URL.
  function otherLanguages(entry) {
    var own = document.documentElement.lang;
    return Object.keys(entry.languages || {}).filter(function (lang) {
      return lang !== own && lang.split("-")[0] !== own.split("-")[0];
    });
  }

  function mount(languages) {
    if (ui) {
      ui.destroy();
    }
    ui = new PagefindUI({
      element: root,
      bundlePath: bundle,
      baseUrl: root.getAttribute("data-base"),
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      sort: sort.value === "newest" ? { date: "desc" } : null,
      mergeIndex: languages.map(function (lang) {
        return { bundlePath: new URL(bundle, window.location.href).href, language: lang };
      })
    });
    // Pagefind names its box only by a title attribute, which screen readers may
    // skip; give it the same accessible name as the form it replaces.
    var input = root.querySelector(".pagefind-ui__search-input");
    if (input) {
      input.setAttribute("aria-label", "Search the archive");
    }
    var query = param("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  function unavailable() {
    document.querySelector(".search-unavailable").hidden = false;
  }

  function start(entry) {
    var languages = otherLanguages(entry);
    form.hidden = true;
    order.hidden = false;
    sort.value = param("sort") === "newest" ? "newest" : "";
    sort.addEventListener("change", function () {
      setParam("sort", sort.value);
      mount(languages);
    });
    root.addEventListener("input", function (event) {
      if (event.target.matches("input[type='text'], input[type='search']")) {
        setParam("q", event.target.value.trim());
      }
    });
    mount(languages);
  }

  if (typeof window.PagefindUI !== "function") {
    unavailable();
    return;
  }
  fetch(bundle + "pagefind-entry.json")
    .then(function (response) {
      if (!response.ok) {
        throw new Error("no search index");
      }
      return response.json();
    })
    .then(start, unavailable);
})();
