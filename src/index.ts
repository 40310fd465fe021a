/**
 * Business-hours deadlines, remaining time and breaches for support SLAs. Everything the package
 * exports is here; the guides are the documents beside this page.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const policy = getPolicy("softone-se");
 * policy.calendar.format(policy.deadline("2026-04-02T11:00", { priority: 3 })!); // "2026-04-08T12:00:00+02:00"
 * ```
 * @module sla-clock
 */
export { ERROR_CODES, SlaClockError } from "./errors";
export type { SlaClockErrorCode, SlaClockErrorDetails, ValidationIssue } from "./errors";
export type { InstantInput } from "./time/instant";
export type { DurationInput, DurationObject } from "./time/duration";
export { Calendar, createCalendar } from "./calendar/calendar";
export type { DayDescription, ExportOptions, FormatOptions, OpenInterval, ParseOptions } from "./calendar/calendar";
export type { ExportTable, IndexExport, IndexIdentity } from "./calendar/export-index";
export {
  addBusinessMsSql,
  businessMsBetweenSql,
  createTablesSql,
  epochMsSql,
  exportSqlScript,
  insertSql,
  metaRow,
  subtractBusinessMsSql,
} from "./warehouse/sql";
export type { SqlDialect } from "./warehouse/sql";
export { policyTargetRows, policyTargetTable, policyTargetsSql, targetDeadlineSql } from "./warehouse/targets";
export type { PolicyTargetRow } from "./warehouse/targets";
export type { InstantStyle } from "./time/format";
export type { DayReason } from "./calendar/day-rules";
export type { BusinessTimeTrace, TracedDay, TracedStretch } from "./calendar/trace";
export type { HolidayRef } from "./calendar/holidays";
export type {
  AnyCalendarSpec,
  CalendarRules,
  CalendarSpec,
  CalendarVersion,
  ClosedDate,
  CombinedCalendarSpec,
  DateHolidaysSource,
  DateOverride,
  DayHours,
  EveRule,
  HolidayListSource,
  HolidaySource,
  HolidayType,
  HoursInterval,
  ListedHoliday,
  OpenDate,
  SubstituteDays,
  TimeOfDay,
  Weekday,
  WeekdayRule,
} from "./calendar/spec";
export { registerDateHolidays } from "./calendar/holidays";
export type { DateHolidaysClass } from "./calendar/holidays";
export { configureCaches } from "./clock/caches";
export type { CacheLimits, CacheUsage } from "./clock/caches";
export { Policy, definePolicy } from "./clock/policy";
export type { DeadlineOptions, DueWindow } from "./clock/policy";
export type { KnownPriority, Metric, PolicySpec, PriorityId, PriorityInput, PrioritySpec } from "./policy/spec";
export { METRIC_TABLE, METRICS } from "./policy/metrics";
export type { MetricDefinition, MetricTrigger } from "./policy/metrics";
export type { PriorityInfo } from "./policy/rules";
export { describeTarget } from "./policy/target";
export type { Measure, Target, TargetDuration } from "./policy/target";
export type { ContractTerms, Money, Provider, Tier, TimeBank } from "./policy/tier";
export { getCalendar, getPolicy, getProvider, listCalendars, listPolicies, listProviders } from "./presets/registry";
export type {
  PolicySummary,
  PresetCalendarId,
  PresetOptions,
  PresetPolicyId,
  PresetPriority,
} from "./presets/registry";
export type { BatchOptions, EvaluateOptions } from "./clock/policy";
export type { CalendarArithmetic, TargetExplanation, TargetRule } from "./clock/explain";
export type {
  ExplainedTicketEvaluation,
  MetricMoment,
  MetricTimeline,
  ExplainedMetric,
  PausedSpan,
  PriorityChange,
  TicketExplanation,
} from "./clock/explain-ticket";
export { EvaluationBatch } from "./clock/batch";
export type { TicketFailure } from "./clock/batch";
export { CYCLE_METRIC_STATUSES, METRIC_STATUSES } from "./clock/result";
export type { MetricColumns } from "./clock/result";
export { isBreached, remaining } from "./clock/convenience";
export { AcrossBatch, evaluateAcross } from "./clock/across";
export type { PolicyGroup, PolicyOf } from "./clock/across";
export { PolicyRegistry, createPolicyRegistry } from "./clock/registry";
export { specHash } from "./util/spec-hash";
export type { PolicyRegistryOptions } from "./clock/registry";
export type { Ticket, TicketEvent } from "./clock/ticket";
export type {
  CycleMetricEvaluation,
  CycleMetricStatus,
  MetricAlert,
  MetricCycle,
  MetricEvaluation,
  MetricStatus,
  TicketEvaluation,
} from "./clock/evaluate";
export type { AlertThreshold } from "./policy/alerts";
export * from "./contracts/index";
export { calendarToIcs, deadlineToIcs, holidaysFromIcs, overridesFromIcs } from "./calendar/ics";
export type { IcsDeadline, IcsExportOptions, IcsHolidayOptions, IcsOverrideOptions } from "./calendar/ics";
