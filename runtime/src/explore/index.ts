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
