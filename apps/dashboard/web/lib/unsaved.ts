import { useEffect, useRef } from 'react';
import { addLeaveGuard } from './router';

export const UNSAVED_MESSAGE = 'You have unsaved changes. Leave this page and lose them?';

/**
 * While a form has unsaved changes, leaving asks first: closing or reloading the tab (the browser's own
 * beforeunload prompt) and in-app navigation (links, Back) through lib/router.ts. `release()` lets a
 * successful save navigate away without asking.
 */
export function useUnsavedChangesGuard(dirty: boolean) {
  const released = useRef(false);
  useEffect(() => {
    if (!dirty) return;
    released.current = false;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (released.current) return;
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    const remove = addLeaveGuard(() => released.current || window.confirm(UNSAVED_MESSAGE));
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      remove();
    };
  }, [dirty]);
  return {
    release: () => {
      released.current = true;
    },
  };
}
