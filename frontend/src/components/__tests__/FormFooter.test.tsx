import { TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { screen, within } from '@testing-library/react';
import { renderWithProviders } from '../../test/render';
import { FormFooter } from '../FormFooter';

function TwoFields() {
  const form = useForm({
    initialValues: { host: '', expiresAt: '' },
    validate: {
      host: (v) => (v === '' ? 'Host Name: required' : null),
      expiresAt: (v) => (v === '' ? 'Expiry date: choose a date or Never Expires' : null),
    },
  });
  return (
    <form onSubmit={form.onSubmit(() => undefined)} noValidate>
      <TextInput label="Host Name" required key={form.key('host')} {...form.getInputProps('host')} />
      <TextInput label="Expiry Date" key={form.key('expiresAt')} {...form.getInputProps('expiresAt')} />
      <FormFooter errorTitle="Could not save" error={null} saving={false} onCancel={() => undefined} />
    </form>
  );
}

describe('FormFooter', () => {
  it('shows no summary before Save', () => {
    renderWithProviders(<TwoFields />);
    expect(screen.queryByText(/need(s)? attention/)).not.toBeInTheDocument();
  });

  it('names the invalid fields beside Save after a failed Save; each name focuses its field', async () => {
    const { user } = renderWithProviders(<TwoFields />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const summary = await screen.findByTestId('field-error-summary');
    expect(summary.closest('[aria-live]')).toHaveAttribute('aria-live', 'assertive');
    expect(summary).toHaveTextContent('2 fields need attention: Host Name, Expiry Date');

    await user.click(within(summary).getByRole('button', { name: 'Expiry Date' }));
    expect(screen.getByLabelText('Expiry Date')).toHaveFocus();

    await user.type(screen.getByLabelText(/Host Name/), 'web01');
    expect(await screen.findByTestId('field-error-summary')).toHaveTextContent('1 field needs attention: Expiry Date');
  });
});
