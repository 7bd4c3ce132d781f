// `lockreview parse-stats PATH...`: how cleanly the front end reads the files, raw and normalised.
import { emptyCoverage, mbPerSecond, measureFile, percent, type Coverage } from '../engine/source/coverage';
import type { IdiomTable } from '../engine/source/idioms';
import { initParser } from '../engine/source/parser';
import type { SourceReader } from '../engine/source/reader';
import { unreadableReason } from '../engine/source/sourceFile';

export interface StatsResult {
  coverage: Coverage;
  skipped: { file: string; reason: string }[];
}

export async function parseStats(files: readonly string[], reader: SourceReader, idioms: IdiomTable): Promise<StatsResult> {
  await initParser();
  const coverage = emptyCoverage();
  const skipped: StatsResult['skipped'] = [];
  for (const file of files) {
    try {
      const text = reader.readFile(file);
      const reason = unreadableReason(text);
      if (reason) skipped.push({ file, reason });
      else measureFile(text, coverage, idioms, file);
    } catch (e) {
      skipped.push({ file, reason: (e as Error).message });
    }
  }
  return { coverage, skipped };
}

export function formatStats(label: string, c: Coverage): string {
  const rawSpeed = mbPerSecond(c.chars, c.rawParseMs);
  const speed = mbPerSecond(c.chars, c.normaliseMs + c.parseMs);
  return [
    `${label}: ${c.files} files, ${(c.chars / 1e6).toFixed(2)} MB`,
    `  raw Tree-sitter: ${c.rawFunctions} function definitions, ${c.rawFunctionsWithErrors} with ERROR/MISSING (${percent(c.rawFunctionsWithErrors, c.rawFunctions)}), ${rawSpeed.toFixed(2)} MB/s`,
    `  normalised:      ${c.functions} function definitions, ${c.functionsWithErrors} with ERROR/MISSING (${percent(c.functionsWithErrors, c.functions)}), ${speed.toFixed(2)} MB/s`,
    `  lost: ${c.lostFunctions} definitions read cleanly raw are missing after normalisation`,
    ...c.lostExamples.map((e) => `    ${e}`),
  ].join('\n');
}
