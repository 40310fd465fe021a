export { monthlyUptime } from "./uptime";
export type { MonthlyUptime, Outage, UptimeOptions } from "./uptime";
export { billTimeBank, trinaxInvoice } from "./time-bank";
export type { BillingPeriod, Invoice, InvoiceLine, TimeBankOptions, TrinaxTier, WorkLog } from "./time-bank";
export { supportLoginExpiry } from "./support-login";
export type { SupportLoginOptions } from "./support-login";
