import { List } from '@mantine/core';
import { isApiProblem } from '../../api/client.ts';
import { ProblemAlert } from '../../ui/ProblemAlert.tsx';

/** A refused change, with the server's list of what did not hold (field and reason) under it. */
export function SettingsProblem({ error }: { error: unknown }) {
  const errors = isApiProblem(error) ? (error.errors ?? []) : [];
  return (
    <>
      <ProblemAlert error={error} />
      {errors.length > 0 && (
        <List size="xs" c="red.8" mt={4} mb="xs">
          {errors.map((failure) => (
            <List.Item key={`${failure.path}:${failure.message}`}>
              <code>{failure.path}</code> {failure.message}
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}
