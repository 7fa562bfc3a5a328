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
