import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { useCombobox, useDebounced } from '../../ui/use-combobox';
import './search-box.css';

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
  const { text, setText, open, setOpen, active, bind } = useCombobox(initial);
  const navigate = useNavigate();
  const inputId = useId();
  const debounced = useDebounced(text.trim(), 150);
  useEffect(() => setText(initial), [initial, setText]);

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

  // Enter is left to the form: it chooses the highlighted suggestion or searches the text.
  const combo = bind(suggestions.length, choose, { label: 'Suggestions' });
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
          {...combo.input}
          placeholder="Specialty, condition, name or city — e.g. dermatology"
        />
        <div {...combo.listbox} className="suggestions">
          {suggestions.map((s, i) => (
            <div key={`${s.kind}-${s.text}-${s.id ?? ''}`} {...combo.option(i)}>
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
