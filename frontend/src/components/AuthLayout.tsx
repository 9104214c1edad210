import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { BrandMark } from './BrandMark';
import classes from './AuthLayout.module.css';

interface AuthLayoutProps {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
}

/** A centred card for the screens shown before anyone is logged in. */
export function AuthLayout({ title, description, children }: AuthLayoutProps) {
  return (
    <Center className={classes.root} component="main">
      <Paper className={classes.card} withBorder shadow="md" p="xl" radius="lg">
        <Stack gap="lg">
          <Stack gap="xs">
            <Group gap="sm" wrap="nowrap">
              <BrandMark />
              <Title order={1} size="h2">
                {title}
              </Title>
            </Group>
            {typeof description === 'string' ? (
              <Text c="dimmed" size="sm">
                {description}
              </Text>
            ) : (
              description
            )}
          </Stack>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
