import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Anchor, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ActivityBucket, DashboardView } from '../../../lib/wails';
import { useNavigate } from '../../session/navigation';

type Activity = NonNullable<DashboardView['activity']>;
type Span = 'hours' | 'days';

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function total(bs: ActivityBucket[], k: 'calls' | 'refusals'): number {
  return bs.reduce((n, b) => n + b[k], 0);
}

/** Calls by API users and refusals per hour (24 h) or per day (30 days). */
export function ActivityCard({ activity }: { activity: Activity }) {
  const navigate = useNavigate();
  const [span, setSpan] = useState<Span>('hours');
  const buckets = activity[span];
  const label = span === 'hours' ? hourLabel : dayLabel;
  const data = buckets.map((b) => ({ when: label.format(new Date(b.start)), Calls: b.calls, Refusals: b.refusals }));
  const calls = total(buckets, 'calls');
  const refusals = total(buckets, 'refusals');
  const spanWords = span === 'hours' ? 'the last 24 hours' : 'the last 30 days';
  const from = buckets.length > 0 ? new Date(buckets[0].start).toISOString() : '';
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="home-activity">
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="home-activity">
            Calls and refusals
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Period"
            value={span}
            onChange={(v) => setSpan(v as Span)}
            data={[
              { value: 'hours', label: 'Last 24 hours' },
              { value: 'days', label: 'Last 30 days' },
            ]}
          />
        </Group>
        <Text size="sm">
          {calls.toLocaleString()} {calls === 1 ? 'call' : 'calls'} by API users and{' '}
          <Anchor
            component="button"
            size="sm"
            onClick={() => navigate({ page: 'audit', audit: { result: 'failure', from } })}
          >
            {refusals.toLocaleString()} {refusals === 1 ? 'refusal' : 'refusals'}
          </Anchor>{' '}
          in {spanWords}.
        </Text>
        <div role="img" aria-label={`Chart of calls and refusals per ${span === 'hours' ? 'hour' : 'day'} over ${spanWords}`}>
          <BarChart
            h={200}
            data={data}
            dataKey="when"
            series={[
              { name: 'Calls', color: 'blue.6' },
              { name: 'Refusals', color: 'red.6' },
            ]}
            withLegend
            tickLine="y"
            gridAxis="x"
            xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 16 }}
            yAxisProps={{ allowDecimals: false, width: 40 }}
          />
        </div>
      </Stack>
    </Card>
  );
}
