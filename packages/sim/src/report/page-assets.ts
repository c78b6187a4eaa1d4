/*
 * What the report page carries besides its content: the stylesheet (screen and A4 print) and one
 * small inline script that sorts and searches tables. The charts need no script (server-drawn SVG);
 * the script only adds sorting and a search box, and the tables read the same without it.
 */

/** The page's styles: a single column on screen; on A4 paper no chart or table row is split across pages. */
export const REPORT_CSS = `body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:960px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td:first-child{min-width:8em}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{color:#666}dd{margin:0}
svg{display:block;max-width:100%;height:auto;font-family:inherit}.note{color:#666;font-size:.85rem}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure.chart{margin:.8rem 0}figcaption{font-size:.9rem;font-weight:600;margin-bottom:.2rem}
table.sortable th{cursor:pointer;user-select:none}table.sortable th[aria-sort=ascending]::after{content:" ▲"}table.sortable th[aria-sort=descending]::after{content:" ▼"}
input.filter{font:inherit;padding:.2rem .4rem;margin:.3rem 0;width:16rem}.scroll{max-height:32rem;overflow:auto}
td.sig{font-weight:600;background:#fff3cd}.print-only{display:none}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}input.filter{display:none}.screen-only{display:none}.print-only{display:block}.scroll{max-height:none;overflow:visible}
table{font-size:7.5pt}td,th{padding:.1rem .3rem}td.num{white-space:normal}td:first-child{min-width:0}
figure.chart{break-inside:avoid;page-break-inside:avoid}h2,h3,figcaption{break-after:avoid;page-break-after:avoid}
tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}section{break-before:auto}a{color:inherit;text-decoration:none}}`;

/**
 * Sorting by a click on a column heading (numbers by their `data-v`, text by Chinese collation), and
 * a search box (`input.filter[data-table=id]`) that hides the rows not containing what is typed.
 */
export const TABLE_SCRIPT = `(function(){
function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent:v===''?null:Number(v);}
document.querySelectorAll('table.sortable').forEach(function(table){
var ths=table.querySelectorAll('thead th');
ths.forEach(function(th,i){th.setAttribute('tabindex','0');function sort(){
var asc=th.getAttribute('aria-sort')!=='ascending';ths.forEach(function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);if(x===y)return 0;if(x===null)return 1;if(y===null)return -1;
var c=typeof x==='number'&&typeof y==='number'?x-y:String(x).localeCompare(String(y),'zh-CN',{numeric:true});return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});});});
document.querySelectorAll('input.filter').forEach(function(input){var table=document.getElementById(input.getAttribute('data-table'));
input.addEventListener('input',function(){var q=input.value.trim().toLowerCase();Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});});
})();`;
