/* Draws the dashboards' charts with the vendored Chart.js. Each <canvas data-chart="id">
   reads its numbers from the <script type="application/json" id="id"> block next to it
   (Django's json_script); clicking a bar or slice opens the list behind that number. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var PALETTE = ["#b02a37", "#2f6fb0", "#e0812a", "#2e8b57", "#7b4fa0", "#1a9c9c",
    "#8a8f98", "#c2571a", "#4a90d9", "#d4a017", "#5c6bc0", "#9e2a2b"];
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

  Chart.defaults.font.family = FONT;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#343a40";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function percentTick(value) {
    return value + "%";
  }

  function barOptions(spec) {
    var horizontal = spec.type === "hbar";
    var value = horizontal ? "x" : "y";
    var category = horizontal ? "y" : "x";
    var scales = {};
    scales[category] = { stacked: spec.stacked, ticks: { autoSkip: false } };
    var left = { beginAtZero: true, stacked: spec.stacked, ticks: { precision: 0 } };
    var hasRight = spec.datasets.some(function (d) { return d.axis === "y1"; });
    var leftIsPercent = spec.datasets.some(function (d) { return d.axis === "y" && d.percent; });
    if (leftIsPercent) {
      left.max = 100;
      left.ticks.callback = percentTick;
    }
    scales[value] = left;
    if (hasRight && !horizontal) {
      scales.y1 = { beginAtZero: true, position: "right", ticks: { precision: 0 },
        grid: { drawOnChartArea: false } };
    }
    return { indexAxis: horizontal ? "y" : "x", scales: scales };
  }

  function datasets(spec) {
    var doughnut = spec.type === "doughnut";
    var colors = spec.colors.length ? spec.colors : PALETTE;
    return spec.datasets.map(function (d, i) {
      var out = { label: d.label, data: d.data };
      if (doughnut) {
        out.backgroundColor = spec.labels.map(function (_l, j) { return colors[j % colors.length]; });
      } else {
        out.backgroundColor = colors[i % colors.length];
        out.maxBarThickness = 42;
        if (d.axis === "y1") {
          out.yAxisID = "y1";
        }
      }
      return out;
    });
  }

  function tooltipLabel(spec) {
    return function (item) {
      var d = spec.datasets[item.datasetIndex];
      return d.label + "：" + item.formattedValue + (d.percent ? "%" : "");
    };
  }

  // A doughnut's legend goes beside it when there is room, above it on a phone.
  function legendPosition(doughnut, width) {
    return doughnut && width >= 380 ? "right" : "top";
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var box = canvas.parentElement;
    if (spec.type === "hbar") {
      box.style.height = Math.max(160, 34 * spec.labels.length + 60) + "px";
    }
    var doughnut = spec.type === "doughnut";
    var options = doughnut ? { cutout: "55%" } : barOptions(spec);
    options.plugins = {
      legend: { display: doughnut || spec.datasets.length > 1,
        position: legendPosition(doughnut, box.clientWidth), labels: { boxWidth: 14 } },
      tooltip: { callbacks: { label: tooltipLabel(spec) } }
    };
    options.onResize = function (chart, size) {
      chart.options.plugins.legend.position = legendPosition(doughnut, size.width);
    };
    options.onClick = function (_event, elements) {
      if (elements.length && spec.links[elements[0].index]) {
        window.location.href = spec.links[elements[0].index];
      }
    };
    options.onHover = function (event, elements) {
      var link = elements.length && spec.links[elements[0].index];
      event.native.target.style.cursor = link ? "pointer" : "default";
    };
    new Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: { labels: spec.labels, datasets: datasets(spec) },
      options: options
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
