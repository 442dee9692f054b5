// `active-driver/explore`: systematic exploration. The Chooser every nondeterministic decision of a
// run goes through, the strategies' choosers, and schedule files.
export { CHOICE_KINDS, ORDERING_KINDS, FRACTION_STEPS, seededChooser, randomChooser, replayChooser, pctChooser, RecordingChooser } from "./chooser";
export type { Chooser, ChoiceKind, Decision, PctOptions } from "./chooser";
export {
  SCHEDULE_FORMAT,
  SCHEDULE_VERSION,
  readScheduleFile,
  parseSchedule,
  writeScheduleFile,
  sha256File,
  scheduleDriverPath,
  scheduleScenario,
  scheduleFileName,
} from "./schedule";
export type { ScheduleFile, ScheduleFailure, ScheduleSize } from "./schedule";
export { coverageOfRun, mergeCoverage, formatCoverage } from "./coverage";
export type { CoverageReport, TransitionCount, WaitSiteCount, FaultCount } from "./coverage";
export { failureOf, scheduleSize } from "./failure";
export type { FailingRun } from "./failure";
export { chooserFor } from "./spec";
export type { ChoiceSpec } from "./spec";
