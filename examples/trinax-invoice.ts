/**
 * Trinax time bank (service & support contracts): bank hours are used first, the rest is billed at
 * the tier's hourly rate; the bank resets each quarter (Alert!, Attend!) or year (Access!). Without
 * a contract every hour costs 980 SEK. One quarter's work billed under each tier:
 *
 *   npm run example:trinax-invoice
 */
import { trinaxInvoice, type TrinaxTier } from "sla-clock";

const work = [
  { at: "2026-01-08T10:00", hours: 3.5, ticketId: "TX-101" },
  { at: "2026-01-21T13:00", hours: 2, ticketId: "TX-104" },
  { at: "2026-02-11T09:00", hours: 6, ticketId: "TX-117" },
  { at: "2026-03-04T08:30", hours: 4.25, ticketId: "TX-122" },
  { at: "2026-03-30T15:00", hours: 1.5, ticketId: "TX-130" },
];
const sek = (n: number) => `${n.toLocaleString("sv-SE", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kr`;

for (const tier of ["alert", "attend", "access", "none"] as TrinaxTier[]) {
  const bill = trinaxInvoice(tier, work, { from: "2026-01", to: "2026-03" });
  console.log(`\n${tier}:`);
  for (const l of bill.months) {
    console.log(
      `  ${l.month}  worked ${String(l.hoursWorked).padStart(5)} h  from bank ${String(l.bankHoursUsed).padStart(5)} h  billed ${String(l.billableHours).padStart(5)} h  fee ${sek(l.fee).padStart(12)}  hours ${sek(l.hourlyCharge).padStart(12)}  total ${sek(l.total).padStart(12)}`,
    );
  }
  console.log(`  quarter total ${sek(bill.totals.total)}`);
}
