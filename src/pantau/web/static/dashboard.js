/* pantau dashboard: charts and map from JSON embedded in the page (never from HTML strings). */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function trendChart(element, rows) {
    var months = Array.from(new Set(rows.map(function (r) { return r[0]; }))).sort();
    var names = Array.from(new Set(rows.map(function (r) { return r[1]; }))).sort();
    var series = names.map(function (name) {
      return {
        name: name, type: "line", smooth: false, symbolSize: 6,
        data: months.map(function (m) {
          var row = rows.find(function (r) { return r[0] === m && r[1] === name; });
          return row ? row[2] : 0;
        })
      };
    });
    if (!series.length) {
      element.textContent = "Belum ada data bertanggal.";
      element.classList.add("empty");
      element.setAttribute("data-rendered", "0");
      return;
    }
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: months }, yAxis: { type: "value", minInterval: 1 }, series: series
    });
    element.setAttribute("data-rendered", String(series.length));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var trend = readJson("trend-data");
  if (trend) {
    document.querySelectorAll(".chart[data-series]").forEach(function (element) {
      trendChart(element, trend[element.getAttribute("data-series")] || []);
    });
  }

  var mapData = readJson("map-data");
  var mapElement = document.getElementById("map");
  if (mapData && mapElement) {
    fetch("/provinces.geojson").then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("indonesia", geo);
      var chart = echarts.init(mapElement);
      var children = {};
      geo.features.forEach(function (f) {
        (f.properties.includes || []).forEach(function (c) { children[c] = f.properties.code; });
      });
      var names = {};
      geo.features.forEach(function (f) { names[f.properties.code] = f.properties.name; });
      var select = document.getElementById("metric");

      function values(metric) {
        var totals = {};
        mapData.forEach(function (row) {
          var code = children[row.code] || row.code;
          totals[code] = (totals[code] || 0) + (row[metric] || 0);
        });
        return Object.keys(totals).map(function (code) { return { name: code, value: totals[code] }; });
      }

      function draw() {
        var metric = select ? select.value : (mapElement.getAttribute("data-metric") || "articles");
        var data = values(metric);
        var max = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) {
            var label = names[p.name] || p.name;
            return echarts.format.encodeHTML(label + ": " + (isNaN(p.value) ? 0 : p.value));
          } },
          visualMap: { min: 0, max: max, left: 10, bottom: 10, calculable: true,
                       inRange: { color: ["#eef4fb", "#fdd49e", "#fc8d59", "#b30000"] } },
          series: [{ type: "map", map: "indonesia", nameProperty: "code", roam: true, data: data,
                     emphasis: { label: { show: false } }, itemStyle: { borderColor: "#999", areaColor: "#f4f4f4" } }]
        }, true);
        mapElement.setAttribute("data-metric", metric);
        mapElement.setAttribute("data-colored", data.filter(function (d) { return d.value > 0; })
          .map(function (d) { return d.name; }).sort().join(","));
      }
      chart.on("click", function (p) { window.location.href = "/wilayah/" + encodeURIComponent(p.name); });
      if (select) { select.addEventListener("change", draw); }
      draw();
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
})();
