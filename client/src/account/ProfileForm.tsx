/** The signed-in user's display name and colour (their caret, avatar and feed badge). */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { User } from '../../../shared/dto.ts';
import { formErrors } from '../api/problem.ts';
import { useUpdateProfile } from '../api/users.ts';
import { caretColor } from '../collab/presence.ts';
import { FormError, FormField, focusFirstInvalid } from '../components/FormField.tsx';
import { MAX_NAME_LENGTH, nameProblem } from './validation.ts';

type Field = 'name' | 'color';
const FIELDS: readonly Field[] = ['name', 'color'];

/** The colours the server gives new accounts (its `COLORS`), with names for the radio buttons. */
const COLOR_NAMES: Record<string, string> = {
  '#e5484d': 'Red',
  '#f76b15': 'Orange',
  '#ad7f00': 'Amber',
  '#30a46c': 'Green',
  '#0d9488': 'Teal',
  '#0090ff': 'Blue',
  '#3e63dd': 'Indigo',
  '#8e4ec6': 'Purple',
  '#d6409f': 'Pink',
  '#6e56cf': 'Violet',
};
const COLORS = Object.keys(COLOR_NAMES);

export function ProfileForm({ user }: { user: User }) {
  const current = caretColor(user.color, user.id);
  const [name, setName] = useState(user.name);
  const [color, setColor] = useState(current);
  const [checked, setChecked] = useState<string | null>(null);
  const update = useUpdateProfile();
  const form = useRef<HTMLFormElement>(null);
  const legendId = useId();
  const failed = formErrors(update.error, FIELDS);
  const nameError = checked ?? failed.fields.name;
  const colors = COLORS.includes(current) ? COLORS : [current, ...COLORS];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problem = nameProblem(name);
    setChecked(problem);
    update.reset();
    if (problem) return focusFirstInvalid(form.current);
    const changes = {
      ...(name.trim() !== user.name ? { name: name.trim() } : {}),
      ...(color !== current ? { color } : {}),
    };
    if (Object.keys(changes).length === 0) return;
    update.mutate(changes, { onError: () => focusFirstInvalid(form.current) });
  };

  return (
    <form ref={form} className="stacked-form" onSubmit={onSubmit} noValidate aria-label="Profile">
      <FormField
        label="Name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={MAX_NAME_LENGTH}
        autoComplete="name"
        hint="Others see this name next to your cursor and in the activity feed."
        error={nameError}
        required
      />
      <fieldset className="field color-field" aria-describedby={failed.fields.color ? `${legendId}-error` : undefined}>
        <legend id={legendId}>Colour</legend>
        <div className="swatches">
          {colors.map((swatch) => (
            <label key={swatch} className="swatch" style={{ backgroundColor: swatch }} title={COLOR_NAMES[swatch] ?? swatch}>
              <input
                type="radio"
                name="color"
                value={swatch}
                checked={color === swatch}
                onChange={() => setColor(swatch)}
                aria-label={COLOR_NAMES[swatch] ?? swatch}
              />
            </label>
          ))}
        </div>
        {failed.fields.color && (
          <p id={`${legendId}-error`} className="field-error">
            {failed.fields.color}
          </p>
        )}
      </fieldset>
      <FormError message={failed.form} />
      <div className="form-actions">
        {update.isSuccess && (
          <p className="form-status" role="status">
            Profile saved.
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}
