// Prints the archive cost estimate of the README (docs/archive.md): a 1 TiB volume, 5% rewritten
// daily, a year of daily snapshots all kept, data packs archived after 30 days; for each archive
// tier and priority, from the planner's own estimate and the dated price table. Needs `npm run build`.
// Usage: node scripts/archive-estimate.mjs [--prices FILE] [--json]
import { loadPrices } from '../dist/repo/archive-prices.js';
import { estimateArchive } from '../dist/repo/archive-estimate.js';

const args = process.argv.slice(2);
const pricesAt = args.indexOf('--prices');
const table = await loadPrices(pricesAt >= 0 ? args[pricesAt + 1] : undefined);
const TiB = 1024 ** 4;
const GiB = 1024 ** 3;
const rows = [];
for (const [tier, priorities] of [['GLACIER', ['bulk', 'standard', 'expedited']], ['DEEP_ARCHIVE', ['bulk', 'standard']], ['Archive', ['standard', 'expedited']]]) {
  for (const priority of priorities) {
    const e = estimateArchive({ volumeBytes: TiB, dailyChange: 0.05, days: 365, archiveAfterDays: 30, tier, priority, restoreDays: 2 }, table);
    rows.push({ tier, priority, e });
  }
}
if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify(rows.map((r) => ({ tier: r.tier, priority: r.priority, ...r.e })), null, 1)}\n`);
} else {
  const e0 = rows[0].e;
  const usd = (n) => `$${n.toFixed(n < 10 ? 2 : 0)}`;
  const one = (x) => (x < 1 ? `${Math.round(x * 60)} min` : `${x} h`);
  const hours = (h) => (!h ? 'n/a' : h[0] === 0 ? `up to ${one(h[1])}` : `${one(h[0])} to ${one(h[1])}`);
  console.log(`prices of ${table.date} (${table.region}); 1 TiB volume, 5% daily change, 365 daily snapshots kept, data packs archived after 30 days, ${e0.model.packBytes / 2 ** 20} MiB packs`);
  console.log(`stored: ${(e0.storedBytes / TiB).toFixed(2)} TiB, of which archived ${(e0.archivedBytes / TiB).toFixed(2)} TiB`);
  console.log('');
  console.log('| tier | priority | per month, all online | per month, archived | restore newest: cold data | thaw cost | thaw time | restore oldest (1 TiB cold): cost |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const { tier, priority, e } of rows) {
    console.log(`| ${tier} | ${priority} | ${usd(e.monthlyOnlineUsd)} | ${usd(e.monthlyArchivedUsd)} | ${(e.latest.coldBytes / GiB).toFixed(0)} GiB in ${Math.round(e.latest.coldPacks)} packs | ${usd(e.latest.thaw.usd)} | ${hours(e.latest.thaw.hours)} | ${usd(e.oldest.thaw.usd)} |`);
  }
}
