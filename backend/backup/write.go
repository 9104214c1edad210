package backup

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"

	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// Params are the knobs of writing a backup. The zero value is what the app
// uses; tests lower the work factor.
type Params struct {
	// WorkFactor is scrypt's log2(N), 1–22; 0 means DefaultWorkFactor.
	WorkFactor int
}

// CheckPassphrase refuses a backup passphrase shorter than
// MinPassphraseLen characters, as a field error.
func CheckPassphrase(passphrase string) error {
	if len([]rune(passphrase)) < MinPassphraseLen {
		return apperr.Field("passphrase", "Backup passphrase: at least %d characters", MinPassphraseLen)
	}
	return nil
}

// Write writes a backup of st (whose master key is master) to w, encrypted
// under passphrase, with the default parameters. See Params.Write.
func Write(st *store.Store, master []byte, w io.Writer, passphrase string, now time.Time, progress func(done, total int)) (Header, error) {
	return Params{}.Write(st, master, w, passphrase, now, progress)
}

// WriteFile is Write to a file; see Params.WriteFile.
func WriteFile(path string, st *store.Store, master []byte, passphrase string, now time.Time, progress func(done, total int)) (Header, error) {
	return Params{}.WriteFile(path, st, master, passphrase, now, progress)
}

// Write writes a backup of every entry of st to w. It reads in one read
// transaction, so the file is the store at one point in time, whatever is
// written meanwhile. progress (may be nil) is called now and then with the
// entries written so far and the total.
func (p Params) Write(st *store.Store, master []byte, w io.Writer, passphrase string, now time.Time, progress func(done, total int)) (Header, error) {
	var h Header
	err := st.View(func(tx *store.Txn) error {
		var err error
		h, err = p.WriteTxn(tx, master, w, passphrase, now, progress)
		return err
	})
	return h, err
}

// WriteTxn is Write inside the caller's read transaction (so that a use
// case can check its actor and read the data in one snapshot).
func (p Params) WriteTxn(tx *store.Txn, master []byte, w io.Writer, passphrase string, now time.Time, progress func(done, total int)) (Header, error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return Header{}, err
	}
	if len(master) != store.KeySize {
		return Header{}, fmt.Errorf("backup: master key is %d bytes, want %d", len(master), store.KeySize)
	}
	wf := p.WorkFactor
	if wf == 0 {
		wf = DefaultWorkFactor
	}
	if wf < 1 || wf > maxWorkFactor {
		return Header{}, fmt.Errorf("backup: work factor %d out of range 1–%d", wf, maxWorkFactor)
	}

	// What the file will hold: counted first, in the same snapshot.
	h := Header{Format: FormatVersion, CreatedAt: now.UTC(), Counts: map[string]int{}}
	if err := tx.EachRaw("", func(key string, _ []byte) error {
		h.Records++
		h.Counts[Prefix(key)]++
		return nil
	}); err != nil {
		return Header{}, fmt.Errorf("backup: count: %w", err)
	}
	var err error
	if h.AuditCount, h.AuditHead, err = audit.Head(tx); err != nil {
		return Header{}, fmt.Errorf("backup: %w", err)
	}

	bw := bufio.NewWriterSize(w, 256<<10)
	plain, err := encrypt(bw, passphrase, wf)
	if err != nil {
		return Header{}, err
	}
	fw := &frameWriter{w: plain, sum: sha256.New()}
	hb, err := json.Marshal(fileHeader{Header: h, Key: master})
	if err != nil {
		return Header{}, fmt.Errorf("backup: header: %w", err)
	}
	fw.frame(frameHeader, hb)
	done := 0
	if progress != nil {
		progress(0, h.Records)
	}
	var rec []byte
	err = tx.EachRaw("", func(key string, value []byte) error {
		rec = binary.AppendUvarint(rec[:0], uint64(len(key)))
		rec = append(rec, key...)
		rec = append(rec, value...)
		fw.frame(frameRecord, rec)
		done++
		if progress != nil && done%1000 == 0 {
			progress(done, h.Records)
		}
		return fw.err
	})
	if err != nil {
		return Header{}, fmt.Errorf("backup: write: %w", err)
	}
	if done != h.Records {
		// A read transaction sees one snapshot; this would be a store bug.
		return Header{}, fmt.Errorf("backup: counted %d entries but read %d", h.Records, done)
	}
	trailer := binary.BigEndian.AppendUint64(nil, uint64(done))
	trailer = fw.sum.Sum(trailer)
	fw.frame(frameTrailer, trailer)
	if pad := fw.n % chunkSize; pad != 0 && fw.err == nil {
		_, fw.err = fw.w.Write(make([]byte, chunkSize-pad))
	}
	if fw.err != nil {
		return Header{}, fmt.Errorf("backup: write: %w", fw.err)
	}
	if err := plain.Close(); err != nil {
		return Header{}, fmt.Errorf("backup: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return Header{}, fmt.Errorf("backup: write: %w", err)
	}
	if progress != nil {
		progress(done, h.Records)
	}
	return h, nil
}

// encrypt writes the preamble and the age header to w and returns the
// writer of the age payload.
func encrypt(w io.Writer, passphrase string, workFactor int) (io.WriteCloser, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	r.SetWorkFactor(workFactor)
	// age writes its header (and the payload nonce) while Encrypt runs: catch
	// it to put its hash in the preamble, then send the rest straight to w.
	sw := &switchWriter{w: &bytes.Buffer{}}
	plain, err := age.Encrypt(sw, r)
	if err != nil {
		return nil, fmt.Errorf("backup: encrypt: %w", err)
	}
	caught := sw.w.(*bytes.Buffer).Bytes()
	i := bytes.Index(caught, []byte("\n--- "))
	j := -1
	if i >= 0 {
		j = bytes.IndexByte(caught[i+1:], '\n')
	}
	if j < 0 {
		return nil, errors.New("backup: encrypt: age header not found")
	}
	hdr := caught[:i+1+j+1]
	sum := sha256.Sum256(hdr)
	pre := fmt.Sprintf("%sversion %d\nage-header sha256:%s\n", Magic, FormatVersion, hex.EncodeToString(sum[:]))
	if _, err := io.WriteString(w, pre); err != nil {
		return nil, fmt.Errorf("backup: write: %w", err)
	}
	if _, err := w.Write(caught); err != nil {
		return nil, fmt.Errorf("backup: write: %w", err)
	}
	sw.w = w
	return plain, nil
}

type switchWriter struct{ w io.Writer }

func (s *switchWriter) Write(p []byte) (int, error) { return s.w.Write(p) }

// frameWriter writes frames and hashes them; the first error sticks.
type frameWriter struct {
	w   io.Writer
	sum hash.Hash
	n   int64
	err error
}

func (f *frameWriter) frame(kind byte, payload []byte) {
	if f.err != nil {
		return
	}
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if kind != frameTrailer {
		f.sum.Write(hdr[:])
		f.sum.Write(payload)
	}
	if _, f.err = f.w.Write(hdr[:]); f.err == nil {
		_, f.err = f.w.Write(payload)
	}
	f.n += int64(len(hdr) + len(payload))
}

// WriteFile writes the backup to path + ".partial" (mode 0600), syncs it
// and renames it to path when it is complete; on any failure the partial
// file is removed and path is left as it was.
func (p Params) WriteFile(path string, st *store.Store, master []byte, passphrase string, now time.Time, progress func(done, total int)) (Header, error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return Header{}, err
	}
	var h Header
	err := writeAtomic(path, func(w io.Writer) error {
		var err error
		h, err = p.Write(st, master, w, passphrase, now, progress)
		return err
	})
	return h, err
}

// writeAtomic runs write into path.partial and renames it to path.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	partial := path + ".partial"
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		// A partial left by a crash: ours to replace.
		if err = os.Remove(partial); err == nil {
			f, err = os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		}
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(partial)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("backup: sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("backup: close: %w", err)
	}
	if err = os.Rename(partial, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename in dir durable where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
