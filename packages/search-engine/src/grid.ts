/**
 * Uniform lat/lon grid (0.1° cells, about 11 × 7 km in central Europe) of doc ids, walked by geo
 * queries (radius or map box) instead of scanning every document, and by text + geo queries whose
 * area holds fewer documents than the text matched. Each cell is a sorted posting list.
 */

import { PostingList } from './postings';
import type { BoundingBox } from './types';

const CELL_DEG = 0.1;

const latIdx = (lat: number) => Math.floor(Math.max(-90, Math.min(90, lat)) / CELL_DEG);
const lonIdx = (lon: number) => Math.floor(Math.max(-180, Math.min(180, lon)) / CELL_DEG);
const key = (la: number, lo: number) => (la + 1000) * 4096 + (lo + 2000);

/** Row-major rank of the cell holding a point (documents of one cell, then one row, are adjacent). */
export const cellOrder = (lat: number, lon: number): number => key(latIdx(lat), lonIdx(lon));

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
   * Calls `visit` with the posting list and the bounds of every non-empty cell overlapping the box
   * (walking the box's cells, or the occupied cells when those are fewer). Returns false (visiting
   * nothing) for a box crossing the antimeridian.
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
    const cell = (pl: PostingList, la: number, lo: number) =>
      visit(pl, la * CELL_DEG, (la + 1) * CELL_DEG, lo * CELL_DEG, (lo + 1) * CELL_DEG);
    if ((la1 - la0 + 1) * (lo1 - lo0 + 1) > this.cells.size) {
      for (const [k, pl] of this.cells) {
        const la = Math.floor(k / 4096) - 1000;
        const lo = (k % 4096) - 2000;
        if (pl.len > 0 && la >= la0 && la <= la1 && lo >= lo0 && lo <= lo1) cell(pl, la, lo);
      }
      return true;
    }
    for (let la = la0; la <= la1; la++) {
      for (let lo = lo0; lo <= lo1; lo++) {
        const pl = this.cells.get(key(la, lo));
        if (pl && pl.len > 0) cell(pl, la, lo);
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
