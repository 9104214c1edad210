package core

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/services"
	"hostbound/backend/store"
)

// StoreCopyOperation is the audit operation of a store copy.
const StoreCopyOperation = "store copy"

// CopyResult says what a store copy moved.
type CopyResult struct {
	Entries      int    // keys copied
	Bytes        int64  // their values' bytes
	AuditRecords uint64 // audit records verified in the copy
}

// copyBatch bounds one transaction of the copy.
const (
	copyBatchEntries = 1000
	copyBatchBytes   = 4 << 20
)

// CopyTo copies the open data directory's own store into the empty
// PostgreSQL database at url, for actor a, an operator with backup.run
// (whoever may take a backup may take the vault elsewhere). It verifies
// the copy — the same entries byte for byte, the audit chain to the same
// head — records the copy in the copied trail, and only then records in
// the data directory that it now uses PostgreSQL (start it with --store
// from then on). db/ is left as it was.
//
// A copy that fails takes out what it wrote, and the data directory keeps
// using db/. The database is refused unless it is empty or a store of this
// master key with nothing in it.
func (l *Lifecycle) CopyTo(url string, a access.Actor, progress func(done, total int)) (CopyResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var res CopyResult
	if l.svc == nil {
		return res, apperr.New(apperr.Locked, "The vault is not open")
	}
	if l.cfg.StoreURL != "" {
		return res, apperr.New(apperr.Conflict, "This data directory already uses PostgreSQL")
	}
	src := l.svc.Store
	var total int
	var head string
	var seq uint64
	err := src.View(func(tx *store.Txn) error {
		p, err := l.svc.Users.Resolve(tx, a)
		if err != nil {
			return err
		}
		if a.Kind == access.KindAPI || !p.Has(access.BackupRun) {
			return apperr.New(apperr.Forbidden, "You are not allowed to copy the vault (it needs Run backups)")
		}
		if total, err = tx.Count(""); err != nil {
			return err
		}
		seq, head, err = audit.Head(tx)
		return err
	})
	if err != nil {
		return res, err
	}
	dst, err := store.OpenPostgres(url, l.key, l.cfg.Log)
	if errors.Is(err, store.ErrWrongKey) {
		return res, apperr.Wrap(apperr.Conflict, err, "The PostgreSQL database already holds another Hostbound store (another master key); nothing was copied")
	}
	if err != nil {
		return res, apperr.Wrap(apperr.Unavailable, err, "The PostgreSQL database cannot be opened: %v", err)
	}
	defer dst.Close()
	if err := dst.View(func(tx *store.Txn) error {
		if tx.Any("") {
			return apperr.New(apperr.Conflict, "The PostgreSQL database is not empty: it holds this vault's data already, or other data; nothing was copied")
		}
		return nil
	}); err != nil {
		return res, err
	}
	srcSum, err := copyEntries(src, dst, total, progress, &res)
	if err == nil && afterCopy != nil {
		afterCopy(dst)
	}
	if err == nil {
		err = l.verifyCopy(dst, a, srcSum, seq, head, &res)
	}
	if err == nil {
		err = writeStoreKind(l.dir)
	}
	if err != nil {
		if cerr := emptyStore(dst); cerr != nil {
			l.log.WithError(cerr).Error("store copy: could not take the partial copy out of the database")
			err = errors.Join(err, fmt.Errorf("the partial copy is still in the database: %w", cerr))
		}
		return res, err
	}
	l.log.WithField("op", "store copy").WithField("entries", res.Entries).Info("store copied to PostgreSQL")
	return res, nil
}

// entrySum is an order-free digest of entries (the engines order keys
// differently): their count and the XOR of each entry's SHA-256.
type entrySum struct {
	n   int
	sum [sha256.Size]byte
}

func (s *entrySum) add(key string, value []byte) {
	h := sha256.New()
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(key)))
	h.Write(n[:])
	h.Write([]byte(key))
	h.Write(value)
	var d [sha256.Size]byte
	h.Sum(d[:0])
	for i := range d {
		s.sum[i] ^= d[i]
	}
	s.n++
}

// copyEntries copies every entry of src into dst, in batches, from one
// snapshot of src; it returns the digest of what it read.
func copyEntries(src, dst *store.Store, total int, progress func(done, total int), res *CopyResult) (entrySum, error) {
	var sum entrySum
	type kv struct {
		k string
		v []byte
	}
	var batch []kv
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := dst.Update(func(tx *store.Txn) error {
			for _, e := range batch {
				if err := tx.PutRaw(e.k, e.v); err != nil {
					return err
				}
			}
			return nil
		})
		batch, size = batch[:0], 0
		if err == nil && progress != nil {
			progress(res.Entries, total)
		}
		return err
	}
	err := src.View(func(tx *store.Txn) error {
		return tx.EachRaw("", func(key string, value []byte) error {
			v := append([]byte(nil), value...)
			sum.add(key, v)
			batch = append(batch, kv{key, v})
			size += len(key) + len(v)
			res.Entries++
			res.Bytes += int64(len(v))
			if len(batch) >= copyBatchEntries || size >= copyBatchBytes {
				return flush()
			}
			return nil
		})
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return sum, fmt.Errorf("store copy: %w", err)
	}
	return sum, nil
}

// verifyCopy reads the copy back — the same entries, an audit chain that
// verifies to the source's head — and records the copy in its trail.
func (l *Lifecycle) verifyCopy(dst *store.Store, a access.Actor, want entrySum, seq uint64, head string, res *CopyResult) error {
	var got entrySum
	var gotSeq uint64
	var gotHead string
	if err := dst.View(func(tx *store.Txn) error {
		if err := tx.EachRaw("", func(key string, value []byte) error { got.add(key, value); return nil }); err != nil {
			return err
		}
		var err error
		gotSeq, gotHead, err = audit.Head(tx)
		return err
	}); err != nil {
		return fmt.Errorf("store copy: read the copy back: %w", err)
	}
	if got != want || gotSeq != seq || gotHead != head {
		return apperr.New(apperr.Internal, "The copy does not match the data directory (%d of %d entries, audit trail to %d of %d); it was taken out again", got.n, want.n, gotSeq, seq)
	}
	svc, err := services.New(dst, l.key, services.Config{Clock: l.cfg.Clock, Hasher: l.cfg.Hasher, Resolver: l.cfg.Resolver,
		APIListen: l.cfg.APIListen, Backup: l.cfg.Backup})
	if err != nil {
		return fmt.Errorf("store copy: open the copy: %w", err)
	}
	defer svc.Close()
	verified, err := svc.Trail.VerifyAll()
	if err != nil {
		return fmt.Errorf("store copy: verify the copy's audit trail: %w", err)
	}
	if verified != seq {
		return apperr.New(apperr.Internal, "The copy's audit trail verifies %d records of %d; it was taken out again", verified, seq)
	}
	res.AuditRecords = verified
	rec := audit.Record{Actor: a.Username, ActorKind: string(a.Kind), Source: a.Source, Operation: StoreCopyOperation,
		Target: "PostgreSQL", Result: audit.Success,
		Reason: fmt.Sprintf("Copied from the data directory %s: %d entries; all %d audit records verified", l.dir, res.Entries, verified)}
	return dst.Update(func(tx *store.Txn) error {
		_, err := svc.Audit.Append(tx, rec)
		return err
	})
}

// emptyStore deletes every entry of st (a copy that did not complete).
func emptyStore(st *store.Store) error {
	for {
		var keys []string
		if err := st.View(func(tx *store.Txn) error {
			return tx.EachKey("", func(k string) error {
				if len(keys) == copyBatchEntries {
					return errBatchFull
				}
				keys = append(keys, k)
				return nil
			})
		}); err != nil && !errors.Is(err, errBatchFull) {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		if err := st.Update(func(tx *store.Txn) error {
			for _, k := range keys {
				if err := tx.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
}

var errBatchFull = errors.New("batch full")

// afterCopy, in tests, changes the copy before it is verified.
var afterCopy func(dst *store.Store)
