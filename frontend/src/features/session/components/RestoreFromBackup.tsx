import { Button, Divider } from '@mantine/core';
import { useState } from 'react';
import { RestoreBackupModal } from './RestoreBackupModal';

/** "Restore from a backup": the alternative to setting up or unlocking, on the screens before login. */
export function RestoreFromBackup() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Divider label="or" labelPosition="center" />
      <Button variant="default" fullWidth onClick={() => setOpen(true)}>
        Restore from a backup
      </Button>
      {open && <RestoreBackupModal onClose={() => setOpen(false)} />}
    </>
  );
}
