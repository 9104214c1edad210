import { Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';

interface Props {
  /** The title's id; the card is a region named by its title. */
  id: string;
  title: string;
  description: string;
  /** Shown with a spinner while loading (and nothing failed). */
  loadingText: string;
  errorTitle: string;
  loading: boolean;
  error: { message: string } | null | undefined;
  children: ReactNode;
}

/** A Settings card: title, description, then the loading line, the load error or what was loaded. */
export function SettingsCard({ id, title, description, loadingText, errorTitle, loading, error, children }: Props) {
  return (
    <Card withBorder shadow="sm" padding="lg" radius="lg" component="section" aria-labelledby={id}>
      <Stack gap="md">
        <Stack gap={4}>
          <Title order={2} size="h3" id={id}>
            {title}
          </Title>
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        </Stack>
        {loading && !error && (
          <Group gap="sm">
            <Loader size="sm" />
            <Text size="sm">{loadingText}</Text>
          </Group>
        )}
        <ErrorAlert title={errorTitle} message={error?.message} />
        {children}
      </Stack>
    </Card>
  );
}
