// What the `issue-activity` data handler answers (src/activity.ts builds it; the UI project compiles apart
// from the worker's, so the shape is restated here).
export interface DayActivity {
  date: string;
  created: number;
  closed: number;
}

export interface IssueActivity {
  timeZone: string;
  days: DayActivity[];
  totals: { created: number; closed: number };
  open: number;
  generatedAt: string;
}
