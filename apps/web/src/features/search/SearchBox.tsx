import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import './search-box.css';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const kindLabel = { name: 'Provider', specialty: 'Specialty', condition: 'Condition', city: 'City' } as const;

/** A combobox: suggestions as you type, arrow keys to move, Enter to pick or search. */
export function SearchBox({
  initial,
  onSearch,
  large = false,
}: {
  initial: string;
  onSearch: (q: string) => void;
  large?: boolean;
}) {
  const [text, setText] = useState(initial);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const navigate = useNavigate();
  const listId = useId();
  const inputId = useId();
  const debounced = useDebounced(text.trim(), 150);
  useEffect(() => setText(initial), [initial]);

  const { data } = useQuery({
    queryKey: keys.suggest(debounced),
    queryFn: ({ signal }) => api.suggest(debounced, signal),
    enabled: open && debounced.length >= 2,
    staleTime: 60_000,
  });
  const suggestions = open && debounced.length >= 2 ? (data?.suggestions ?? []) : [];

  const choose = (index: number) => {
    const s = suggestions[index];
    if (!s) return;
    setOpen(false);
    if (s.kind === 'name' && s.id) {
      navigate(`/providers/${s.id}`);
      return;
    }
    setText(s.text);
    onSearch(s.text);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (active >= 0 && suggestions[active]) return choose(active);
    setOpen(false);
    onSearch(text.trim());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, suggestions.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, -1));
    } else if (event.key === 'Escape' && suggestions.length > 0) {
      // Close the list first; only a second Escape clears the field (the search input's default).
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  const expanded = suggestions.length > 0;
  return (
    // biome-ignore lint/a11y/useSemanticElements: React's JSX types do not know <search> yet
    <form role="search" className={`search-box${large ? ' search-box-large' : ''}`} onSubmit={submit}>
      <label htmlFor={inputId} className="visually-hidden">
        Search by specialty, condition, name or city
      </label>
      <div className="combo">
        <input
          id={inputId}
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={active >= 0 && expanded ? `${listId}-${active}` : undefined}
          placeholder="Specialty, condition, name or city — e.g. dermatology"
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
        <div id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}>
          {suggestions.map((s, i) => (
            <div
              key={`${s.kind}-${s.text}-${s.id ?? ''}`}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(i);
              }}
            >
              <span>{s.text}</span>
              <span className="suggestion-kind">
                {kindLabel[s.kind]}
                {s.kind !== 'name' ? ` · ${s.count}` : ''}
              </span>
            </div>
          ))}
        </div>
      </div>
      <button type="submit" className="btn">
        Search
      </button>
    </form>
  );
}
