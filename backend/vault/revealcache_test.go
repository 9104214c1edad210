package vault_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hostbound/backend/internal/testdomain"
	"hostbound/backend/vault"
)

// Retrievals answer from memory while nothing under vault/ changes: under
// 16 concurrent readers, a call that starts after a password change
// returned gets the new password, and one that starts after the share was
// revoked gets nothing.
func TestCachedRetrievalsSeeAChangeFromTheFirstCallAfterIt(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w)
	svc := apiActor(t, w, "svc")
	share := vault.ShareInput{ResourceID: r.ID, Grantee: "svc", Permission: vault.View}
	mustNil(t, w.Vault.Share(w.AdminActor, share))

	// phase: 0 before the change of password, 1 after it, 2 while the share
	// is revoked (either answer is right), 3 after the revoke returned.
	var phase atomic.Int32
	var calls, stale, lateOK atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ph := phase.Load()
				pw, err := w.Vault.RevealPassword(svc, r.ID, acct.ID, vault.Purpose{})
				calls.Add(1)
				switch {
				case ph == 1 && err == nil && pw != "n3w-s3cr3t":
					stale.Add(1)
				case ph == 3 && err == nil:
					lateOK.Add(1)
				case err != nil && ph < 2:
					t.Errorf("phase %d: %v", ph, err)
				}
			}
		}()
	}
	waitCalls := func(n int64) {
		for calls.Load() < n {
			time.Sleep(time.Millisecond) // let the readers run
		}
	}
	waitCalls(300)
	mustNil(t, w.Vault.ChangePassword(w.AdminActor, r.ID, acct.ID, "n3w-s3cr3t", vault.Purpose{}))
	phase.Store(1)
	waitCalls(calls.Load() + 300)
	phase.Store(2)
	mustNil(t, w.Vault.Unshare(w.AdminActor, share))
	phase.Store(3)
	waitCalls(calls.Load() + 300)
	close(stop)
	wg.Wait()
	if n := stale.Load(); n != 0 {
		t.Errorf("%d calls that started after the change got the old password", n)
	}
	if n := lateOK.Load(); n != 0 {
		t.Errorf("%d calls that started after the revoke got the password", n)
	}
}
