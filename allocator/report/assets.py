"""Style sheet, script and page skeleton of the HTML report (no external resources)."""

CSS = """
body{font-family:"Segoe UI","Helvetica Neue",Arial,sans-serif;margin:0;color:#222;background:#f4f6f8}
header{background:#1f3a5f;color:#fff;padding:18px 32px 14px}
header h1{margin:0;font-size:24px;font-weight:600}header .sub{opacity:.85;font-size:14px;margin-top:4px}
nav{padding:8px 32px;background:#fff;border-bottom:1px solid #dde2e7;position:sticky;top:0;z-index:10}
nav a{margin-right:18px;color:#1f3a5f;text-decoration:none;font-size:14px}
nav a:hover{text-decoration:underline}
.kpis{display:flex;flex-wrap:wrap;gap:12px;padding:16px 32px}
.kpi{background:#fff;border-radius:6px;padding:10px 16px;min-width:140px;border-top:4px solid #9aa0a6;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
.kpi.good{border-top-color:#2ca02c}.kpi.bad{border-top-color:#d62728}
.kpi .label{font-size:12px;color:#555;text-transform:uppercase;letter-spacing:.03em}
.kpi .value{font-size:24px;font-weight:600;margin-top:2px}
.kpi .detail{font-size:12px;color:#666;min-height:14px}
main{padding:0 32px 40px}
section{scroll-margin-top:48px;background:#fff;border-radius:6px;margin:16px 0;padding:12px 20px 18px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
section h2{font-size:18px;margin:6px 0 2px;color:#1f3a5f}.note{color:#555;font-size:13px;margin:2px 0 8px}
.chart{overflow-x:auto}
table{border-collapse:collapse;font-size:13px;width:100%}
th{position:sticky;top:0;background:#eef2f6;text-align:left;padding:6px 8px;cursor:pointer;white-space:nowrap}
td{padding:4px 8px;border-bottom:1px solid #eceff1}td.num{text-align:right}
tr.late td{background:#fdecea}
td.bound{color:#8b1a1a;min-width:260px}td.bound .why{color:#555;font-size:12px;margin-top:2px}
ul.reasons{font-size:13px;margin:2px 0 6px;padding-left:20px}
#assignments{max-height:none}#assignments table{display:block;max-height:520px;overflow:auto}
#assignments-filter{margin:4px 0 8px;padding:6px 10px;width:320px;border:1px solid #ccd;border-radius:4px}
"""

SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function(th, column){
  th.addEventListener('click', function(){
    var body = th.closest('table').tBodies[0];
    var up = th.dataset.dir !== 'up'; th.dataset.dir = up ? 'up' : 'down';
    var key = function(row){var c=row.cells[column];var s=c.dataset.sort;
      return s === undefined ? c.textContent : (isNaN(+s) ? s : +s);};
    Array.from(body.rows).sort(function(a, b){var x=key(a), y=key(b);
      return (x > y ? 1 : x < y ? -1 : 0) * (up ? 1 : -1);}).forEach(function(r){body.appendChild(r);});
  });
});
var filter = document.getElementById('assignments-filter');
if (filter) filter.addEventListener('input', function(){
  var words = filter.value.toLowerCase();
  document.querySelectorAll('#assignments-table tbody tr').forEach(function(row){
    row.style.display = row.textContent.toLowerCase().indexOf(words) >= 0 ? '' : 'none';});
});
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{css}</style><script>{plotly}</script></head>
<body><header><h1>{title}</h1><div class="sub">{subtitle}</div></header>
<nav>{contents}</nav><div class="kpis">{kpis}</div><main>{sections}</main>
<script>{script}</script></body></html>
"""
