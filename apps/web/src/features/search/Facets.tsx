import type { SearchResponse } from '@carebook/contracts';
import { useState } from 'react';
import { type FacetName, MIN_RATINGS, searchActions } from '../../app/search-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { facetLabel } from './labels';
import './search.css';

const facetTitles: Record<FacetName, string> = {
  specialty: 'Specialty',
  visitType: 'Visit type',
  language: 'Language',
  insurance: 'Insurance',
  gender: 'Practitioner gender',
};
const order: FacetName[] = ['specialty', 'visitType', 'language', 'insurance', 'gender'];
const SHOWN = 6;

function FacetGroup({
  facet,
  counts,
  names,
}: {
  facet: FacetName;
  counts: Record<string, number>;
  names: Map<string, string>;
}) {
  const selected = useAppSelector((s) => s.search.filters[facet]);
  const dispatch = useAppDispatch();
  const [all, setAll] = useState(false);
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  for (const value of selected) if (!(value in counts)) entries.unshift([value, 0]);
  if (!entries.length) return null;
  const shown = all ? entries : entries.slice(0, SHOWN);
  return (
    <fieldset className="facet">
      <legend>{facetTitles[facet]}</legend>
      {shown.map(([value, count]) => (
        <label key={value} className="check">
          <input
            type="checkbox"
            checked={selected.includes(value)}
            onChange={() => dispatch(searchActions.toggleFilter({ facet, value }))}
          />
          <span className="facet-name">{facetLabel(facet, value, names)}</span>
          <span className="facet-count">{count}</span>
        </label>
      ))}
      {entries.length > SHOWN && (
        <button type="button" className="link-button" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show fewer' : `Show all ${entries.length}`}
        </button>
      )}
    </fieldset>
  );
}

export function Facets({
  facets,
  names,
}: {
  facets: SearchResponse['facets'] | undefined;
  names: Map<string, string>;
}) {
  const search = useAppSelector((s) => s.search);
  const dispatch = useAppDispatch();
  const accepting = facets?.acceptingNewPatients?.true ?? 0;
  return (
    <div className="facets">
      <fieldset className="facet">
        <legend>Availability</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={search.acceptingNewPatients}
            onChange={(e) => dispatch(searchActions.setAcceptingNewPatients(e.target.checked))}
          />
          <span className="facet-name">Accepting new patients</span>
          <span className="facet-count">{accepting}</span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={search.availableWithinDays === 7}
            onChange={(e) => dispatch(searchActions.setAvailableWithinDays(e.target.checked ? 7 : null))}
          />
          <span className="facet-name">Available within 7 days</span>
        </label>
      </fieldset>
      <fieldset className="facet">
        <legend>Rating</legend>
        {[null, ...MIN_RATINGS].map((min) => (
          <label key={min ?? 'any'} className="check">
            <input
              type="radio"
              name="min-rating"
              checked={search.minRating === min}
              onChange={() => dispatch(searchActions.setMinRating(min))}
            />
            <span className="facet-name">
              {min === null ? (
                'Any rating'
              ) : (
                <>
                  {min}
                  <span aria-hidden="true">★</span>
                  <span className="visually-hidden"> stars</span> and up
                </>
              )}
            </span>
          </label>
        ))}
      </fieldset>
      {order.map((facet) => (
        <FacetGroup key={facet} facet={facet} counts={facets?.[facet] ?? {}} names={names} />
      ))}
    </div>
  );
}
