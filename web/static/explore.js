// Graph explorer: a node's neighbourhood from /api/graph/neighbours, expanded by clicking.
"use strict";
(function () {
  const COLORS = {
    Report: "#8b1a1a", Organization: "#1a4f8b", Inspection: "#6a3d9a", Category: "#c9a227",
    Issue: "#e6550d", Measure: "#31a354", Regulation: "#3182bd", Person: "#756bb1",
  };
  const NAMES = {
    Report: "报告", Organization: "组织", Inspection: "巡视巡察", Category: "问题类别",
    Issue: "问题", Measure: "整改措施", Regulation: "法规制度", Person: "人员",
  };
  const PAGES = { Issue: "/issue/", Regulation: "/regulation/", Organization: "/unit/" };
  const CAP = 30;
  const hidden = new Set();
  const offsets = {};
  let lastExpanded = null;
  const container = document.getElementById("cy");
  const cy = cytoscape({
    container: container,
    style: [
      { selector: "node", style: { "background-color": "data(color)", label: "data(name)", "font-size": 10,
        "min-zoomed-font-size": 7, color: "#222", width: 18, height: 18 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#000" } },
      { selector: "edge", style: { width: 1, "line-color": "#bbb", "target-arrow-shape": "triangle",
        "target-arrow-color": "#bbb", "curve-style": "bezier", "arrow-scale": 0.6 } },
      { selector: ".hidden", style: { display: "none" } },
    ],
    wheelSensitivity: 0.3,
  });
  window.ikgExplorer = { cy: cy, load: loadGraph };

  function status(text) { document.getElementById("status").textContent = text; }

  function nodeElement(n) {
    return { group: "nodes", classes: hidden.has(n.label) ? "hidden" : "",
      data: { id: n.id, name: n.name, label: n.label, color: COLORS[n.label] || "#999", props: n.props,
        degree: n.degree } };
  }

  // Adds new nodes and edges in one call and lays them out; returns the time taken in ms.
  function loadGraph(nodes, edges) {
    const t0 = performance.now();
    const seen = new Set(cy.elements().map(function (e) { return e.id(); }));
    const add = [];
    nodes.forEach(function (n) { if (!seen.has(n.id)) { seen.add(n.id); add.push(nodeElement(n)); } });
    edges.forEach(function (e) {
      const id = e.source + "|" + e.rel + "|" + e.target;
      if (!seen.has(id)) { seen.add(id); add.push({ group: "edges", data: { id: id, source: e.source,
        target: e.target, rel: e.rel } }); }
    });
    cy.add(add);
    const big = cy.nodes().length > 300;
    cy.layout({ name: big ? "grid" : "cose", animate: false, randomize: false }).run();
    updateLegend();
    return performance.now() - t0;
  }

  function expand(id) {
    const offset = offsets[id] || 0;
    status("加载中…");
    fetch("/api/graph/neighbours?id=" + encodeURIComponent(id) + "&limit=" + CAP + "&offset=" + offset)
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { status(data.error); return; }
        offsets[id] = offset + data.nodes.length;
        loadGraph([data.center].concat(data.nodes), data.edges);
        lastExpanded = id;
        const more = document.getElementById("more");
        more.hidden = !data.more;
        status("已显示 " + offsets[id] + " / " + data.total + " 个邻居");
        showProps(cy.getElementById(id));
      });
  }

  function showProps(node) {
    const box = document.getElementById("props");
    box.replaceChildren();
    const title = document.createElement("p");
    const strong = document.createElement("b");
    strong.textContent = (NAMES[node.data("label")] || node.data("label")) + "：" + node.data("name");
    title.appendChild(strong);
    box.appendChild(title);
    const page = PAGES[node.data("label")];
    if (page) {
      const a = document.createElement("a");
      a.href = page + encodeURIComponent(node.id());
      a.textContent = "打开页面";
      a.id = "node-page";
      box.appendChild(a);
    }
    const table = document.createElement("table");
    const props = Object.assign({ id: node.id(), "连接数": node.data("degree") }, node.data("props") || {});
    Object.keys(props).forEach(function (k) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      const td = document.createElement("td");
      th.textContent = k;
      const v = props[k];
      td.textContent = typeof v === "string" ? (v.length > 300 ? v.slice(0, 300) + "…" : v) : JSON.stringify(v);
      tr.append(th, td);
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function updateLegend() {
    const ul = document.getElementById("legend");
    const counts = {};
    cy.nodes().forEach(function (n) { counts[n.data("label")] = (counts[n.data("label")] || 0) + 1; });
    const labels = new Set(Object.keys(counts));
    ul.replaceChildren();
    Object.keys(NAMES).filter(function (l) { return labels.has(l); }).forEach(function (l) {
      const li = document.createElement("li");
      li.dataset.label = l;
      if (hidden.has(l)) li.className = "off";
      const dot = document.createElement("span");
      dot.className = "dot " + l;
      const count = counts[l];
      li.append(dot, document.createTextNode(NAMES[l] + "（" + count + "）"));
      li.addEventListener("click", function () {
        if (hidden.has(l)) hidden.delete(l); else hidden.add(l);
        cy.nodes().filter(function (n) { return n.data("label") === l; }).toggleClass("hidden", hidden.has(l));
        li.classList.toggle("off", hidden.has(l));
      });
      ul.appendChild(li);
    });
  }

  cy.on("tap", "node", function (evt) { expand(evt.target.id()); });
  document.getElementById("more").addEventListener("click", function () { if (lastExpanded) expand(lastExpanded); });
  const start = container.dataset.start;
  if (start) expand(start);
})();
