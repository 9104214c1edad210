import { Notification } from '@mantine/core';
import { useEffect, useState } from 'react';

export interface NoticeValue {
  color: 'green' | 'red';
  title: string;
  message: string;
}

/** A notice that goes away by itself after a few seconds. */
export function useNotice() {
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = window.setTimeout(() => setNotice(null), 6000);
    return () => window.clearTimeout(t);
  }, [notice]);
  return [notice, setNotice] as const;
}

export function Notice({ notice, onClose }: { notice: NoticeValue | null; onClose: () => void }) {
  if (!notice) return null;
  return (
    <Notification
      color={notice.color}
      title={notice.title}
      onClose={onClose}
      role={notice.color === 'red' ? 'alert' : 'status'}
      withBorder
      closeButtonProps={{ 'aria-label': 'Dismiss' }}
    >
      {notice.message}
    </Notification>
  );
}
