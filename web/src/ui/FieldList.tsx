import type { ReactNode } from 'react';

export interface Field {
  label: string;
  value: ReactNode;
}

/** Label and value pairs as a definition list: screen readers announce each value with its label. */
export function FieldList({ fields }: { fields: readonly (Field | false | null | undefined)[] }) {
  return (
    <dl className="linedesk-fields">
      {fields
        .filter((field): field is Field => Boolean(field))
        .map((field) => (
          <div key={field.label} style={{ display: 'contents' }}>
            <dt>{field.label}</dt>
            <dd>{field.value ?? '—'}</dd>
          </div>
        ))}
    </dl>
  );
}
