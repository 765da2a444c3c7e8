import { type KeyboardEvent, type MouseEvent, useEffect, useId, useState } from 'react';

/** The value as it was `ms` after it last changed (e.g. what was typed, once typing pauses). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The state and ARIA wiring of a combobox over a text input (the WAI-ARIA "list autocomplete"
 * pattern): the input keeps focus, `aria-activedescendant` names the highlighted option, arrows
 * move, Escape closes an open list, a mouse press chooses without taking focus from the input.
 *
 * Two steps, because what the list shows usually depends on whether it is open (a query enabled
 * only then): first the state (`text`, `open`, `active`), then `bind(count, choose)` with the
 * options' count for the props of the input, the listbox and each option.
 */
export function useCombobox(initialText = '') {
  const [text, setText] = useState(initialText);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  /**
   * `label`: the listbox's accessible name. `chooseOnEnter`: Enter chooses the highlighted option (or the first) and never submits the
   * surrounding form; without it Enter is left to the form, which reads `active` itself.
   */
  const bind = (
    count: number,
    choose: (index: number) => void,
    { label, chooseOnEnter = false }: { label: string; chooseOnEnter?: boolean },
  ) => {
    const expanded = count > 0;
    const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setOpen(true);
        setActive((i) => Math.min(i + 1, count - 1));
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => Math.max(i - 1, -1));
      } else if (e.key === 'Enter' && chooseOnEnter) {
        e.preventDefault();
        choose(Math.max(active, 0));
      } else if (e.key === 'Escape' && expanded) {
        // Close the list first; only a second Escape reaches the input's own default.
        e.preventDefault();
        close();
      }
    };
    return {
      input: {
        role: 'combobox',
        'aria-autocomplete': 'list',
        'aria-expanded': expanded,
        'aria-controls': listId,
        'aria-activedescendant': active >= 0 && expanded ? `${listId}-${active}` : undefined,
        autoComplete: 'off',
        value: text,
        onChange: (e: { target: { value: string } }) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        },
        onFocus: () => setOpen(true),
        onBlur: () => setTimeout(() => setOpen(false), 150),
        onKeyDown,
      },
      listbox: { id: listId, role: 'listbox', 'aria-label': label, hidden: !expanded },
      option: (i: number) => ({
        id: `${listId}-${i}`,
        role: 'option',
        tabIndex: -1,
        'aria-selected': i === active,
        className: i === active ? 'active' : undefined,
        onMouseDown: (e: MouseEvent) => {
          e.preventDefault();
          choose(i);
        },
      }),
    } as const;
  };

  return { text, setText, open, setOpen, active, close, bind };
}
