import { useEffect, useRef } from 'react';

/** KeepAlive is sent at most this often while the operator is active. */
export const KEEP_ALIVE_INTERVAL_MS = 60_000;

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'click', 'scroll', 'wheel', 'touchstart'];

interface IdleTimeoutOptions {
  /** Track activity only while true (an operator is logged in). */
  enabled: boolean;
  /** Idle time after which onIdle runs; 0 or less disables it. */
  timeoutSeconds: number;
  /** Called on activity, at most once per KEEP_ALIVE_INTERVAL_MS. */
  onKeepAlive: () => void;
  /** Called once when the operator has been idle for timeoutSeconds. */
  onIdle: () => void;
}

/**
 * Watches user activity on the document. Logging in counts as activity, so
 * the first KeepAlive goes out a minute after it at the earliest.
 */
export function useIdleTimeout({ enabled, timeoutSeconds, onKeepAlive, onIdle }: IdleTimeoutOptions) {
  const onKeepAliveRef = useRef(onKeepAlive);
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onKeepAliveRef.current = onKeepAlive;
    onIdleRef.current = onIdle;
  });

  useEffect(() => {
    if (!enabled || timeoutSeconds <= 0) return undefined;
    const timeoutMs = timeoutSeconds * 1000;
    let lastActivity = Date.now();
    let lastKeepAlive = lastActivity;
    let idle = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    // One timer, moved forward lazily: activity only updates a timestamp.
    const check = () => {
      const idleFor = Date.now() - lastActivity;
      if (idleFor >= timeoutMs) {
        idle = true;
        onIdleRef.current();
      } else {
        timer = setTimeout(check, timeoutMs - idleFor);
      }
    };
    const onActivity = () => {
      if (idle) return;
      const now = Date.now();
      lastActivity = now;
      if (now - lastKeepAlive >= KEEP_ALIVE_INTERVAL_MS) {
        lastKeepAlive = now;
        onKeepAliveRef.current();
      }
    };

    timer = setTimeout(check, timeoutMs);
    const listenerOptions: AddEventListenerOptions = { capture: true, passive: true };
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, onActivity, listenerOptions);
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onActivity, listenerOptions);
    };
  }, [enabled, timeoutSeconds]);
}
