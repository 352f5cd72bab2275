/* canvas site: filtering and sorting the companies, comparing, searching. No framework, no
   request beyond the site's own files; post text is only ever set as text, never as HTML. */
"use strict";

(function () {
  const site = {
    data: null,
    canvases: new Map(),
    shards: new Map(),
    library(data) { site.data = data; },
    receive(canvas) { site.canvases.set(canvas.slug, canvas); },
    shard(pair) { site.shards.set(pair[0], pair[1]); },
  };
  window.canvasSite = site;

  const root = () => document.body.dataset.root || "";
  const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
  const BREAK = "\u200b";

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined && text !== null) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function link(href, text) {
    const anchor = element("a", text);
    anchor.href = href;
    return anchor;
  }

  function load(source) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = root() + source;
      script.onload = resolve;
      script.onerror = () => reject(new Error("cannot load " + source));
      document.head.appendChild(script);
    });
  }

  async function loadCanvases(companies) {
    const wanted = companies.filter((company) => !site.canvases.has(company[0]));
    await Promise.all(wanted.map((company) => load(company[4])));
    return companies.map((company) => site.canvases.get(company[0])).filter(Boolean);
  }

  /* Words exactly as the build parts them (canvascli.render.site.data.search_tokens). */
  function brokenIntoPieces(text) {
    return text.replace(new RegExp(site.data.piece, "gu"), (piece) => BREAK + piece + BREAK);
  }

  function foldWord(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }

  function tokens(text) {
    return foldWord(brokenIntoPieces(text)).match(WORD) || [];
  }
  site.tokens = tokens;

  /* ---- the companies page ---- */

  function companiesPage() {
    const table = document.getElementById("companies");
    if (!table) return;
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const filter = document.getElementById("filter");
    filter.addEventListener("input", () => {
      const wanted = filter.value.trim().toLowerCase();
      for (const row of rows) {
        const text = row.cells[1].textContent.toLowerCase();
        row.hidden = wanted !== "" && !text.includes(wanted);
      }
    });
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((header, column) => {
      const button = header.querySelector("button");
      if (!button || !header.dataset.sort) return;
      button.addEventListener("click", () => {
        const ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach((other) => other.removeAttribute("aria-sort"));
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const value = (row) => row.cells[column].dataset.value || "";
        const numeric = header.dataset.sort === "number";
        const sorted = rows.slice().sort((first, second) => {
          const order = numeric
            ? Number(value(first)) - Number(value(second))
            : value(first).localeCompare(value(second));
          return ascending ? order : -order;
        });
        for (const row of sorted) body.appendChild(row);
      });
    });
    const chosen = [];
    const button = document.getElementById("compare-chosen");
    const count = document.getElementById("chosen-count");
    const limits = [2, 6];
    const show = () => {
      button.disabled = chosen.length < limits[0] || chosen.length > limits[1];
      count.textContent = chosen.length
        ? chosen.length + " chosen: " + chosen.join(", ")
        : "Choose 2 to 6 companies to compare.";
    };
    for (const box of table.querySelectorAll("input.choose")) {
      box.checked = false;
      box.addEventListener("change", () => {
        if (box.checked && chosen.length >= limits[1]) {
          box.checked = false;
          count.textContent = "At most 6 companies can be compared.";
          return;
        }
        const at = chosen.indexOf(box.value);
        if (box.checked && at < 0) chosen.push(box.value);
        if (!box.checked && at >= 0) chosen.splice(at, 1);
        show();
      });
    }
    button.addEventListener("click", () => {
      const query = new URLSearchParams();
      for (const slug of chosen) query.append("c", slug);
      window.location.href = root() + "compare.html?" + query.toString();
    });
    show();
  }

  /* ---- compare: common ground as analyse.common_ground finds it, from the terms the
     build found; only which canvases share them is worked out here ---- */

  const earlier = (first, second) => {
    const at = first.findIndex((value, index) => value !== second[index]);
    return at >= 0 && first[at] < second[at];
  };
  const contains = (longer, shorter) => (" " + longer + " ").includes(" " + shorter + " ");

  function commonGround(canvases, block) {
    const perCanvas = canvases.map((canvas) => (canvas.blocks[block] || { terms: [] }).terms);
    const holders = new Map();
    perCanvas.forEach((terms, number) => {
      for (const term of terms) {
        if (!holders.has(term[0])) holders.set(term[0], new Set());
        holders.get(term[0]).add(number);
      }
    });
    const contained = new Map(Array.from(holders, ([key, owners]) => [key, new Set(owners)]));
    perCanvas.forEach((terms, number) => {
      for (const term of terms) {
        for (const part of term[6]) if (contained.has(part)) contained.get(part).add(number);
      }
    });
    const keys = Array.from(contained.keys()).filter((key) => contained.get(key).size >= 2);
    const same = (first, second) =>
      first.size === second.size && Array.from(first).every((owner) => second.has(owner));
    const shared = [];
    const marks = canvases.map(() => new Map());
    for (const key of keys.sort()) {
      const owners = contained.get(key);
      if (keys.some((longer) => longer !== key && contains(longer, key) && same(contained.get(longer), owners))) continue;
      let display = "";
      let first = null;
      let holdersOfKey = 0;
      perCanvas.forEach((terms, number) => {
        const hits = terms.filter((term) => contains(term[0], key));
        if (!hits.length) return;
        holdersOfKey += 1;
        for (const term of hits) {
          const entry = marks[number].get(term[1]) || [];
          entry.push([term[2], term[3]]);
          marks[number].set(term[1], entry);
          const place = [number, term[1], term[2]];
          if (first === null || earlier(place, first)) first = place;
          if (term[0] === key && !display) display = term[4];
        }
      });
      shared.push({ key, text: display || key, holders: holdersOfKey, first });
    }
    shared.sort((a, b) => b.holders - a.holders || a.first[0] - b.first[0] || a.first[1] - b.first[1] || a.first[2] - b.first[2] || (a.key < b.key ? -1 : 1));
    return { shared, marks };
  }
  site.commonGround = commonGround;

  function markedText(text, spans) {
    const fragment = document.createDocumentFragment();
    const merged = [];
    for (const span of (spans || []).slice().sort((a, b) => a[0] - b[0])) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    let at = 0;
    for (const [start, end] of merged) {
      if (start > at) fragment.appendChild(document.createTextNode(text.slice(at, start)));
      fragment.appendChild(element("mark", text.slice(start, end)));
      at = end;
    }
    if (at < text.length) fragment.appendChild(document.createTextNode(text.slice(at)));
    return fragment;
  }

  function entriesCell(block, marks) {
    const cell = element("td");
    if (!block) {
      cell.appendChild(element("p", "(not in this post)", "muted"));
      return cell;
    }
    if (!block.entries.some((entry) => entry[1].trim())) {
      cell.appendChild(element("p", "(empty)", "muted"));
      return cell;
    }
    let list = null;
    block.entries.forEach((entry, number) => {
      const holder = element(entry[0] === "item" ? "li" : "p");
      holder.appendChild(markedText(entry[1], marks.get(number)));
      if (entry[0] === "item") {
        if (!list) { list = element("ul"); cell.appendChild(list); }
        list.appendChild(holder);
      } else {
        list = null;
        cell.appendChild(holder);
      }
    });
    return cell;
  }

  function comparisonRows(canvases) {
    const kinds = new Set(canvases.map((canvas) => canvas.kind));
    if (Array.from(kinds).every((kind) => kind === "business")) return site.data.business;
    if (kinds.size === 1 && kinds.has("lean")) return site.data.lean;
    const present = new Set(canvases.flatMap((canvas) => Object.keys(canvas.blocks)));
    const others = site.data.blocks.map((block) => block.key)
      .filter((key) => !site.data.shared.includes(key) && present.has(key));
    return site.data.shared.concat(others);
  }

  async function comparePage() {
    const status = document.getElementById("compare-status");
    const result = document.getElementById("compare-result");
    const bySlug = new Map(site.data.companies.map((company) => [company[0], company]));
    const asked = Array.from(new Set(new URLSearchParams(window.location.search).getAll("c")));
    if (!asked.length) return;
    const unknown = asked.filter((slug) => !bySlug.has(slug));
    if (unknown.length) { status.textContent = "No company " + unknown.join(", ") + " in this site."; return; }
    if (asked.length < 2 || asked.length > 6) { status.textContent = "Compare takes 2 to 6 companies, not " + asked.length + "."; return; }
    const canvases = await loadCanvases(asked.map((slug) => bySlug.get(slug)));
    const titles = new Map(site.data.blocks.map((block) => [block.key, block]));
    const allLean = canvases.every((canvas) => canvas.kind === "lean");
    const table = element("table", null, "compare-table");
    table.appendChild(element("caption", canvases.map((canvas) => canvas.name).join(" · ") + ": shared terms are marked"));
    const head = table.createTHead().insertRow();
    const corner = element("th", "Block");
    corner.scope = "col";
    head.appendChild(corner);
    for (const canvas of canvases) {
      const header = element("th");
      header.scope = "col";
      header.appendChild(link(root() + canvas.page, canvas.name));
      head.appendChild(header);
    }
    const body = table.createTBody();
    let sharedCount = 0;
    for (const key of comparisonRows(canvases)) {
      const ground = commonGround(canvases, key);
      sharedCount += ground.shared.length;
      const row = body.insertRow();
      row.dataset.block = key;
      const block = titles.get(key);
      const header = element("th", allLean ? block.lean : block.title);
      header.scope = "row";
      if (ground.shared.length) {
        header.appendChild(element("p", "Shared: " + ground.shared.map((term) => term.text).join(", "), "common"));
      }
      row.appendChild(header);
      canvases.forEach((canvas, number) => row.appendChild(entriesCell(canvas.blocks[key], ground.marks[number])));
    }
    result.replaceChildren(table);
    status.textContent = canvases.length + " companies side by side; " + sharedCount +
      (sharedCount === 1 ? " term" : " terms") + " of common ground marked.";
  }

  /* ---- search: the index narrows the companies, their text confirms each hit ---- */

  function parseQuery(text) {
    const terms = [];
    const pattern = /"([^"]*)"|([^\s"]+)/g;
    for (const found of text.matchAll(pattern)) {
      const words = tokens((found[1] !== undefined ? found[1] : found[2]).replace(/\*+$/, ""));
      if (words.length) terms.push(words);
    }
    return terms;
  }

  function matchesAt(words, term, at) {
    const last = term.length - 1;
    for (let offset = 0; offset < last; offset += 1) if (words[at + offset] !== term[offset]) return false;
    return at + last < words.length && words[at + last].startsWith(term[last]);
  }

  const hasTerm = (words, term) => words.some((_word, at) => matchesAt(words, term, at));

  function candidates(terms) {
    let found = null;
    for (const term of terms) {
      for (let index = 0; index < term.length; index += 1) {
        const word = term[index];
        const shard = site.shards.get(word.codePointAt(0) % site.data.shards) || {};
        const owners = new Set();
        for (const [token, companies] of Object.entries(shard)) {
          const fits = index === term.length - 1 ? token.startsWith(word) : token === word;
          if (fits) for (const company of companies) owners.add(company);
        }
        found = found === null ? owners : new Set(Array.from(found).filter((company) => owners.has(company)));
      }
    }
    return Array.from(found || []).sort((a, b) => a - b);
  }

  function snippet(text, terms) {
    const lines = text.split("\n");
    const wanted = terms.flat();
    const line = lines.find((candidate) => terms.some((term) => hasTerm(tokens(candidate), term))) || lines[0];
    const holder = element("span");
    const broken = brokenIntoPieces(line);
    let at = 0;
    for (const found of broken.matchAll(WORD)) {
      const word = foldWord(found[0]);
      if (wanted.some((part) => word.startsWith(part))) {
        holder.appendChild(document.createTextNode(broken.slice(at, found.index).replaceAll(BREAK, "")));
        holder.appendChild(element("mark", found[0]));
        at = found.index + found[0].length;
      }
    }
    holder.appendChild(document.createTextNode(broken.slice(at).replaceAll(BREAK, "")));
    return holder;
  }

  async function searchPage() {
    const status = document.getElementById("search-status");
    const result = document.getElementById("search-result");
    const query = new URLSearchParams(window.location.search).get("q") || "";
    document.getElementById("site-search").value = query;
    if (!query.trim()) return;
    const terms = parseQuery(query);
    if (!terms.length) { status.textContent = "The query has no word to search for."; return; }
    const shardNumbers = new Set(terms.flat().map((word) => word.codePointAt(0) % site.data.shards));
    await Promise.all(Array.from(shardNumbers).filter((number) => !site.shards.has(number))
      .map((number) => load("data/search/" + String(number).padStart(2, "0") + ".js")));
    const limit = 20;
    const groups = [];
    const numbers = candidates(terms);
    for (let start = 0; start < numbers.length && groups.length < limit; start += 20) {
      const batch = numbers.slice(start, start + 20).map((number) => site.data.companies[number]);
      for (const canvas of await loadCanvases(batch)) {
        const hits = canvas.sections.filter((section) => {
          const words = tokens(section[2]);
          return terms.every((term) => hasTerm(words, term));
        });
        if (hits.length && groups.length < limit) groups.push({ canvas, hits });
      }
    }
    groups.sort((a, b) => b.hits.length - a.hits.length);
    const titles = new Map(site.data.blocks.map((block) => [block.key, block.title]));
    const list = element("ol", null, "hits");
    for (const group of groups) {
      const item = element("li");
      const heading = element("h2");
      heading.appendChild(link(root() + group.canvas.page, group.canvas.name));
      item.appendChild(heading);
      const sections = element("ul");
      for (const hit of group.hits) {
        const line = element("li");
        line.appendChild(element("strong", (hit[0] ? titles.get(hit[0]) : hit[1]) + ": "));
        line.appendChild(snippet(hit[2], terms));
        sections.appendChild(line);
      }
      item.appendChild(sections);
      list.appendChild(item);
    }
    result.replaceChildren(list);
    status.textContent = groups.length
      ? groups.length + (groups.length === 1 ? " company has" : " companies have") + " hits for \u201c" + query + "\u201d."
      : "No hits for \u201c" + query + "\u201d.";
  }

  function start() {
    const page = document.body.dataset.page;
    const failed = (error) => {
      const status = document.getElementById(page + "-status");
      if (status) status.textContent = "This page could not load its data: " + error.message;
    };
    if (page === "index") companiesPage();
    if (page === "compare") comparePage().catch(failed);
    if (page === "search") searchPage().catch(failed);
  }

  // Deferred, as the data scripts after it are: they have all run by DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", start);
})();
