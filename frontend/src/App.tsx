import { Center, Loader } from '@mantine/core';
import { AppLayout } from './features/session/components/AppLayout';
import { LockedScreen } from './features/session/components/LockedScreen';
import { LoginScreen } from './features/session/components/LoginScreen';
import { SetupScreen } from './features/session/components/SetupScreen';
import { StartupErrorScreen } from './features/session/components/StartupErrorScreen';
import { UnlockScreen } from './features/session/components/UnlockScreen';
import { SessionProvider } from './features/session/SessionProvider';
import { useSession } from './features/session/useSession';

/** Shows the screen for the phase the backend reports. */
function Screens() {
  const { state, loadError } = useSession();

  if (!state) {
    if (loadError) return <StartupErrorScreen message={loadError.message} />;
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }

  switch (state.phase) {
    case 'setup':
      return <SetupScreen state={state} />;
    case 'unlock':
      return <UnlockScreen />;
    case 'locked':
      return <LockedScreen state={state} />;
    case 'login':
      return <LoginScreen />;
    case 'ready':
      if (state.operator) return <AppLayout operator={state.operator} />;
      return <StartupErrorScreen message="The backend reported a session without an operator." />;
    default:
      return <StartupErrorScreen message={`Unknown app state "${String(state.phase)}".`} />;
  }
}

export function App() {
  return (
    <SessionProvider>
      <Screens />
    </SessionProvider>
  );
}
