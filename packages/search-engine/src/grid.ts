/**
 * Uniform lat/lon grid (0.1° cells, about 11 × 7 km in central Europe) of doc ids, used to enumerate candidates of filter-only geo
 * queries (radius or map box) without scanning every document. Each cell is a sorted posting list.
 */

import { PostingList } from './postings';
import type { BoundingBox } from './types';

const CELL_DEG = 0.1;
const MAX_CELLS = 4096;

const latIdx = (lat: number) => Math.floor(Math.max(-90, Math.min(90, lat)) / CELL_DEG);
const lonIdx = (lon: number) => Math.floor(Math.max(-180, Math.min(180, lon)) / CELL_DEG);
const key = (la: number, lo: number) => (la + 1000) * 4096 + (lo + 2000);

export class GeoGrid {
  private cells = new Map<number, PostingList>();

  add(doc: number, lat: number, lon: number): void {
    const k = key(latIdx(lat), lonIdx(lon));
    let pl = this.cells.get(k);
    if (!pl) {
      pl = new PostingList();
      this.cells.set(k, pl);
    }
    pl.put(doc, 0);
  }

  remove(doc: number, lat: number, lon: number): void {
    const k = key(latIdx(lat), lonIdx(lon));
    const pl = this.cells.get(k);
    if (pl?.remove(doc) && pl.len === 0) this.cells.delete(k);
  }

  /**
   * Calls `visit` for every doc in cells overlapping the box. Returns false (and visits nothing)
   * when the box crosses the antimeridian or spans too many cells; callers then scan everything.
   */
  forEachInBox(box: BoundingBox, visit: (doc: number) => void): boolean {
    if (box.minLon > box.maxLon || box.minLon < -180 || box.maxLon > 180) return false;
    const la0 = latIdx(box.minLat);
    const la1 = latIdx(box.maxLat);
    const lo0 = lonIdx(box.minLon);
    const lo1 = lonIdx(box.maxLon);
    if ((la1 - la0 + 1) * (lo1 - lo0 + 1) > MAX_CELLS) return false;
    for (let la = la0; la <= la1; la++) {
      for (let lo = lo0; lo <= lo1; lo++) {
        const pl = this.cells.get(key(la, lo));
        if (!pl) continue;
        const d = pl.data;
        for (let i = 0, end = pl.len * 2; i < end; i += 2) visit(d[i] ?? 0);
      }
    }
    return true;
  }

  /**
   * Calls `visit` with the posting list and the bounds of every non-empty cell overlapping the box.
   * Returns false (visiting nothing) in the cases where `forEachInBox` does.
   */
  forEachCell(
    box: BoundingBox,
    visit: (pl: PostingList, minLat: number, maxLat: number, minLon: number, maxLon: number) => void,
  ): boolean {
    if (box.minLon > box.maxLon || box.minLon < -180 || box.maxLon > 180) return false;
    const la0 = latIdx(box.minLat);
    const la1 = latIdx(box.maxLat);
    const lo0 = lonIdx(box.minLon);
    const lo1 = lonIdx(box.maxLon);
    if ((la1 - la0 + 1) * (lo1 - lo0 + 1) > MAX_CELLS) return false;
    for (let la = la0; la <= la1; la++) {
      for (let lo = lo0; lo <= lo1; lo++) {
        const pl = this.cells.get(key(la, lo));
        if (pl && pl.len > 0)
          visit(pl, la * CELL_DEG, (la + 1) * CELL_DEG, lo * CELL_DEG, (lo + 1) * CELL_DEG);
      }
    }
    return true;
  }

  /** Number of docs in the cells overlapping the box, or +∞ when the box cannot use the grid. */
  population(box: BoundingBox): number {
    let n = 0;
    return this.forEachCell(box, (pl) => {
      n += pl.len;
    })
      ? n
      : Number.POSITIVE_INFINITY;
  }

  trim(): void {
    for (const pl of this.cells.values()) pl.trim();
  }
}
