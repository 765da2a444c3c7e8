import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { keys } from '../../app/query-client';
import { renderApp } from '../../test/render';
import { SearchBox } from './SearchBox';

describe('SearchBox', () => {
  it('shows suggestions as you type and picks one with the keyboard', async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    const { queryClient } = renderApp(<SearchBox initial="" onSearch={onSearch} />);
    // Served from the cache, as a previous keystroke's answer would be.
    queryClient.setQueryData(keys.suggest('derm'), {
      suggestions: [
        { text: 'Dermatology', kind: 'specialty', count: 13 },
        { text: 'Dermatitis', kind: 'condition', count: 4 },
      ],
    });
    const box = screen.getByRole('combobox');
    await user.type(box, 'derm');
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      'DermatologySpecialty · 13',
      'DermatitisCondition · 4',
    ]);
    expect(box.getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(box.getAttribute('aria-activedescendant')).toBe(options[1]?.id);
    await user.keyboard('{Enter}');
    expect(onSearch).toHaveBeenCalledWith('Dermatitis');
    expect((box as HTMLInputElement).value).toBe('Dermatitis');
  });

  it('Escape closes the list and keeps the text; Enter searches what was typed', async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    const { queryClient } = renderApp(<SearchBox initial="" onSearch={onSearch} />);
    queryClient.setQueryData(keys.suggest('cardio'), {
      suggestions: [{ text: 'Cardiology', kind: 'specialty', count: 9 }],
    });
    const box = screen.getByRole('combobox');
    await user.type(box, 'cardio');
    await screen.findByRole('option');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('option')).toBeNull();
    expect((box as HTMLInputElement).value).toBe('cardio');
    await user.keyboard('{Enter}');
    expect(onSearch).toHaveBeenCalledWith('cardio');
  });
});
