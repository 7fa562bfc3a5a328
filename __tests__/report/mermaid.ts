// d3 is mermaid's own dependency: the scale and formats below are the ones its gantt is drawn with.
import { scaleTime, timeDay, timeFormat, timeHour, timeMillisecond, timeMinute, timeSecond } from "d3";
import mermaid from "mermaid";

export interface ParsedTask {
  name: string;
  section: string;
  start: number;
  end: number;
}

/** Parses a ```mermaid block with mermaid's own parser and returns the gantt tasks as mermaid understood them. */
export async function parseGantt(markdown: string): Promise<ParsedTask[]> {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!match?.[1]) throw new Error("no mermaid block in the markdown");
  const text = match[1];
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  if (diagram.type !== "gantt") throw new Error(`expected a gantt diagram, got ${diagram.type}`);
  const db = diagram.db as unknown as {
    getTasks(): { task: string; section: string; startTime: Date; endTime: Date }[];
  };
  return db.getTasks().map((t) => ({
    name: t.task.trim(),
    section: t.section,
    start: t.startTime.valueOf(),
    end: t.endTime.valueOf(),
  }));
}

const INTERVALS = {
  millisecond: timeMillisecond,
  second: timeSecond,
  minute: timeMinute,
  hour: timeHour,
  day: timeDay,
} as const;

/** The labels of the gantt's time axis as mermaid draws them: d3 (mermaid's own) over its tasks, tickInterval, axisFormat. */
export async function ganttAxisLabels(markdown: string): Promise<string[]> {
  const text = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1];
  if (!text) throw new Error("no mermaid block in the markdown");
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as {
    getTasks(): { startTime: Date; endTime: Date }[];
    getAxisFormat(): string;
    getTickInterval(): string | undefined;
  };
  const tasks = db.getTasks();
  const scale = scaleTime().domain([
    Math.min(...tasks.map((t) => t.startTime.valueOf())),
    Math.max(...tasks.map((t) => t.endTime.valueOf())),
  ]);
  const every = /^(\d+)(millisecond|second|minute|hour|day)$/.exec(db.getTickInterval() ?? "");
  const interval = every ? INTERVALS[every[2] as keyof typeof INTERVALS].every(Number(every[1])) : null;
  const ticks = interval ? scale.ticks(interval) : scale.ticks();
  return ticks.map(timeFormat(db.getAxisFormat() || "%Y-%m-%d"));
}
