// Printing: number formats and a padded markdown table.

export const fmt = {
  s: (x) => (x === undefined || x === null || Number.isNaN(x) ? '' : x < 10 ? x.toFixed(2) : x.toFixed(1)),
  mib: (bytes) => (bytes === undefined || bytes === null || Number.isNaN(bytes) ? '' : (bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 1)),
  rssMiB: (kib) => (kib === undefined || kib === null || Number.isNaN(kib) ? '' : (kib / 1024).toFixed(0)),
  int: (n) => (n === undefined || n === null || Number.isNaN(n) ? '' : String(n)),
  cores: (x) => (x === undefined || x === null || Number.isNaN(x) ? '?' : x.toFixed(2)),
  ratio: (x) => (x === undefined || x === null || !Number.isFinite(x) ? '' : `${x.toFixed(2)}x`),
  bytes: (n) => {
    if (n === undefined || n === null || Number.isNaN(n)) return '';
    const a = Math.abs(n);
    if (a < 10 * 1024) return `${n} B`;
    if (a < 10 * 2 ** 20) return `${(n / 1024).toFixed(1)} KiB`;
    if (a < 10 * 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MiB`;
    return `${(n / 2 ** 30).toFixed(2)} GiB`;
  },
};

/** A markdown table; `align` is a string of 'l'/'r' per column. */
export function markdownTable(headers, rows, align = '') {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '').replaceAll('|', '\\|')));
  const width = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const pad = (s, i) => (align[i] === 'r' ? s.padStart(width[i]) : s.padEnd(width[i]));
  const line = (r) => `| ${r.map(pad).join(' | ')} |`;
  const rule = `|${width.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/**
 * A target check's verdict for the PASS/MISS column: PASS/MISS with the measured value, or
 * n/a with the reason.
 */
export function verdict(name, value, ok, na) {
  if (na) return { text: `${name} n/a (${na})`, ok: null };
  return { text: `${name} ${value} ${ok ? 'PASS' : 'MISS'}`, ok };
}

/** The PASS/MISS cell: every check of a row, MISS first in importance. */
export function verdictCell(checks) {
  return checks.map((c) => c.text).join('; ');
}
