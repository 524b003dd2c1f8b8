import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './machine.mjs';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/**
 * Writes bench/results/<date>-<workload>.json and .md: the rows, the ratios that are the point of
 * the run, the targets, and the machine.
 * @param {{workload: string, title: string, columns: string[], rows: Record<string, unknown>[], ratios?: Record<string, number>, targets?: {name: string, met: boolean, detail: string}[], notes?: string[]}} result
 */
export function writeReport(result) {
  mkdirSync(RESULTS, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const base = join(RESULTS, `${date}-${result.workload}`);
  const document = { ...result, date: new Date().toISOString(), machine: machine() };
  writeFileSync(`${base}.json`, JSON.stringify(document, null, 2) + '\n');
  const lines = [
    `# ${result.title}`,
    '',
    `${document.date}, ${document.machine.cores} cores, load ${document.machine.load_average.join(' / ')}, Node ${document.machine.node}`,
    '',
    `| ${result.columns.join(' | ')} |`,
    `| ${result.columns.map(() => '---').join(' | ')} |`,
    ...result.rows.map((row) => `| ${result.columns.map((c) => format(row[c])).join(' | ')} |`),
  ];
  if (result.ratios && Object.keys(result.ratios).length > 0) {
    lines.push('', '| ratio | value |', '| --- | --- |', ...Object.entries(result.ratios).map(([k, v]) => `| ${k} | ${format(v)} |`));
  }
  if (result.targets?.length) {
    lines.push('', '| target | met | measured |', '| --- | --- | --- |', ...result.targets.map((t) => `| ${t.name} | ${t.met ? 'yes' : 'NO'} | ${t.detail} |`));
  }
  if (result.notes?.length) {
    lines.push('', ...result.notes.map((n) => `- ${n}`));
  }
  writeFileSync(`${base}.md`, lines.join('\n') + '\n');
  console.log(lines.join('\n'));
  return base;
}

function format(value) {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  }
  return String(value ?? '');
}
