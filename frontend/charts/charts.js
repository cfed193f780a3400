// Renders every insights chart: a <figure data-chart="ID"> whose Vega-Lite spec is the JSON in
// <script type="application/json" id="ID">. Under the strict CSP: expressions run through
// vega-interpreter (no eval / new Function), vega-embed injects no <style> (defaultStyle off,
// no actions menu, no tooltip handler), so nothing needs 'unsafe-inline' or 'unsafe-eval'.
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

const OPTIONS = {
  ast: true,
  expr: expressionInterpreter,
  actions: false,
  defaultStyle: false,
  tooltip: false,
  renderer: "svg",
};

async function render(figure) {
  const source = document.getElementById(figure.dataset.chart);
  const target = figure.querySelector(".chart-canvas");
  if (!source || !target) return;
  try {
    await embed(target, JSON.parse(source.textContent), OPTIONS);
    figure.dataset.rendered = "true";
  } catch (error) {
    figure.dataset.rendered = "failed";
    target.textContent = "This chart could not be drawn; its table is below.";
    console.error(error);
  }
}

function renderAll() {
  document.querySelectorAll("figure[data-chart]").forEach(render);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", renderAll);
} else {
  renderAll();
}
