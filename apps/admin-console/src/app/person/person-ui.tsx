import { useEffect, useId, useRef, type ReactNode } from 'react';
import { isApiError } from '../api/api-error';
import { ErrorNotice } from '../layout/error-notice';

export const CONFLICT_MESSAGE = 'This person was changed by someone else since you opened the page.';

/** A stale If-Match: nothing was written; the admin reloads and decides again. Never retried for them. */
export function ConflictNotice({ onReload, reloading }: { onReload: () => void; reloading?: boolean }) {
  return (
    <div className="notice notice-warn" role="alert">
      <span>{CONFLICT_MESSAGE} Nothing was changed; reload to see their change, then decide again.</span>
      <button
        type="button"
        className="button-quiet"
        // aria-disabled: the focus stays on Reload while it runs (the form that holds it is then remounted).
        aria-disabled={reloading}
        onClick={() => {
          if (!reloading) onReload();
        }}
      >
        {reloading ? 'Reloading…' : 'Reload'}
      </button>
    </div>
  );
}

/** A failed write: the conflict notice for `version_conflict`, else the service's message. */
export function MutationError({ error, onReload, reloading }: { error: unknown; onReload: () => void; reloading?: boolean }) {
  if (isApiError(error, 'version_conflict')) return <ConflictNotice onReload={onReload} reloading={reloading} />;
  return <ErrorNotice error={error} />;
}

export interface ConfirmDialogProps {
  /** The question, also the dialog's accessible name: "Suspend Ana Lopez?" */
  title: string;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  /** E.g. after a version conflict: confirming again would only repeat a refused write. */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
  /** Shown under the text (the write's error), the dialog staying open. */
  error?: ReactNode;
}

/**
 * A modal confirmation: mounted open (showModal traps focus and makes the page inert), focus
 * on Cancel so Enter never confirms by accident, Escape cancels (not while the write runs).
 */
export function ConfirmDialog({
  title,
  confirmLabel,
  danger,
  pending,
  confirmDisabled,
  onConfirm,
  onCancel,
  children,
  error,
}: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    // Remember what had focus: closing returns there, as a native modal dialog does.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      // Only focus the dialog held goes back to the opener: a notice shown by the confirmed action keeps it.
      const hadFocus = dialog.contains(document.activeElement) || document.activeElement === document.body;
      if (dialog.open) dialog.close();
      if (hadFocus && opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialogRef}
      className="person-dialog"
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children && <div id={bodyId}>{children}</div>}
      {error}
      <div className="person-dialog-buttons">
        <button ref={cancelRef} type="button" className="button-quiet" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button type="button" className={danger ? 'button-danger' : undefined} onClick={onConfirm} disabled={pending || confirmDisabled}>
          {pending ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * A polite live region: "Saved", "A reset link was mailed to …". The region stays mounted while
 * empty (`text` undefined) so screen readers announce the text put into it; a region inserted
 * already holding its text is announced unreliably. When text arrives the notice takes the focus
 * (tabIndex -1), since what had it (a dialog, a replaced button, a remounted form) is gone.
 */
export function OkNotice({ text, onDismiss }: { text: string | undefined; onDismiss?: () => void }) {
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (text) notice.current?.focus();
  }, [text]);
  return (
    <div ref={notice} tabIndex={-1} className={text ? 'notice notice-ok' : undefined}>
      <span role="status">{text}</span>
      {text && onDismiss && (
        <button
          type="button"
          className="button-quiet"
          onClick={() => {
            // The button goes away with the text: the (now empty) notice keeps the focus.
            notice.current?.focus();
            onDismiss();
          }}
        >
          Dismiss
        </button>
      )}
    </div>
  );
}
