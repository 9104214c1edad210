package vault_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/store"
	"hostbound/backend/vault"
)

// The retrieval path reads in parallel and commits only the record
// (audit.Log.Reveal): under 16 concurrent readers, a call that starts
// after SetDisabled returned is refused, every password handed out has
// its record, and the key's use count is the number of records.
func TestRevealUnderLoadIsRefusedFromTheFirstCallAfterADisable(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w)
	svc := apiActor(t, w, "svc")
	mustNil(t, w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: r.ID, Grantee: "svc", Permission: vault.View}))

	var disabled atomic.Bool
	var got, lateOK atomic.Int64
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
				after := disabled.Load()
				pw, err := w.Vault.RevealPassword(svc, r.ID, acct.ID, vault.Purpose{})
				switch {
				case err == nil && pw == "s3cr3t":
					got.Add(1)
					if after {
						lateOK.Add(1)
					}
				case err == nil:
					t.Errorf("password %q", pw)
				case apperr.CodeOf(err) != apperr.Unauthenticated:
					t.Errorf("refusal: %v", err)
				}
			}
		}()
	}
	for got.Load() < 300 {
		time.Sleep(time.Millisecond) // let the readers run
	}
	_, err := w.Users.SetDisabled(w.AdminActor, "svc", true)
	mustNil(t, err)
	disabled.Store(true)
	for range 200 { // keep reading a while after the change
		if _, err := w.Vault.RevealPassword(svc, r.ID, acct.ID, vault.Purpose{}); err == nil {
			lateOK.Add(1)
		}
	}
	close(stop)
	wg.Wait()
	if n := lateOK.Load(); n != 0 {
		t.Errorf("%d calls that started after the disable got the password", n)
	}
	var records int64
	mustNil(t, w.Store.View(func(tx *store.Txn) error {
		page, err := w.Audit.Query(tx, audit.Filter{Actor: "svc", Result: audit.Success}, 0, 1000)
		for _, rec := range page.Records {
			if rec.Operation == "reveal password" {
				records++
			}
		}
		if page.Next != 0 {
			t.Error("more than 1000 records: raise the page")
		}
		return err
	}))
	if records != got.Load() {
		t.Errorf("%d passwords handed out, %d success records", got.Load(), records)
	}
	u, err := w.Users.Get(w.AdminActor, "svc")
	mustNil(t, err)
	if u.APIKey.UseCount != got.Load() {
		t.Errorf("use count %d, want %d (one per password)", u.APIKey.UseCount, got.Load())
	}
}
