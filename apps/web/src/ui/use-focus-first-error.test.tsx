import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type FormEvent, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { useFocusFirstError } from './use-focus-first-error';

function TwoFields() {
  const [invalid, setInvalid] = useState<string[]>([]);
  const { ref, focusFirstError } = useFocusFirstError();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const bad = ['first', 'second'].filter((name) => !data.get(name));
    setInvalid(bad);
    if (bad.length) focusFirstError();
  };
  return (
    <form ref={ref} onSubmit={submit}>
      <label>
        First <input name="first" aria-invalid={invalid.includes('first') || undefined} />
      </label>
      <label>
        Second <input name="second" aria-invalid={invalid.includes('second') || undefined} />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}

describe('useFocusFirstError', () => {
  it('moves focus to the first field in error after each failed submit, and leaves it alone otherwise', async () => {
    const user = userEvent.setup();
    render(<TwoFields />);
    const save = screen.getByRole('button', { name: 'Save' });
    await user.click(save);
    expect(document.activeElement).toBe(screen.getByLabelText('First'));
    await user.type(screen.getByLabelText('First'), 'x');
    await user.click(save);
    expect(document.activeElement).toBe(screen.getByLabelText('Second'));
    await user.type(screen.getByLabelText('Second'), 'y');
    await user.click(save);
    expect(document.activeElement).toBe(save);
  });
});
