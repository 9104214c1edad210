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
	"maps"
	"os"
	"strconv"
	"strings"

	"filippo.io/age"
)

// Read reads a whole backup from r, calling fn with every store entry in
// the order written (value is valid only during the call), and returns the
// header with the master key. It checks everything the file states — the
// preamble's hash of the age header, age's authentication of every chunk,
// the number of entries per key prefix, the trailer's count and checksum —
// and returns ErrWrongPassphrase, ErrNotBackup, ErrTruncated, ErrTampered
// or ErrNewerFormat (wrapped) when the file is not a whole backup that this
// passphrase opens. fn sees entries before the end of the file has been
// checked: a caller that keeps them must drop them when Read fails. An
// error from fn stops Read and is returned as it is.
func Read(r io.Reader, passphrase string, fn func(key string, value []byte) error) (Header, error) {
	return Stream(r, passphrase, nil, fn)
}

// Stream is Read that also calls start, when it is not nil, with the header
// (master key included) before the first entry: a restore opens its new
// store with that key. An error from start stops the read and is returned.
func Stream(r io.Reader, passphrase string, start func(Header) error, fn func(key string, value []byte) error) (Header, error) {
	src := &eofReader{r: r}
	br := bufio.NewReaderSize(src, 64<<10)
	hdr, err := readPreamble(br)
	if err != nil {
		return Header{}, err
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return Header{}, ErrWrongPassphrase
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	// The payload's length, counted from the nonce on, tells a short last
	// chunk (truncation: every chunk of a backup is full) from a changed one.
	payload := &countReader{r: br}
	plain, err := age.Decrypt(io.MultiReader(bytes.NewReader(hdr), payload), id)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &noMatch):
			return Header{}, ErrWrongPassphrase
		case src.eof:
			return Header{}, fmt.Errorf("%w: it ends in the encryption header", ErrTruncated)
		default:
			return Header{}, fmt.Errorf("%w: %v", ErrTampered, err)
		}
	}
	fr := &frameReader{r: bufio.NewReaderSize(plain, 64<<10), sum: sha256.New()}
	h, err := fr.read(start, fn)
	if err != nil && !errors.Is(err, errFn) {
		err = classify(err, src.eof, payload.n)
	}
	if errors.Is(err, errFn) {
		err = fr.fnErr
	}
	return h, err
}

// classify turns an error met while reading the payload into the package's
// sentinels.
func classify(err error, sawEOF bool, payloadLen int64) error {
	if errors.Is(err, ErrTampered) || errors.Is(err, ErrTruncated) || errors.Is(err, ErrNewerFormat) {
		return err
	}
	const encChunk = chunkSize + 16 // Poly1305 tag
	const nonce = 16
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%w: %v", ErrTruncated, err)
	case sawEOF && (payloadLen-nonce)%encChunk != 0:
		// Every chunk of a backup is full: a short one was cut.
		return fmt.Errorf("%w: it ends inside an encrypted chunk", ErrTruncated)
	default:
		return fmt.Errorf("%w: %v", ErrTampered, err)
	}
}

// readPreamble checks the cleartext lines and returns the age header they
// vouch for.
func readPreamble(br *bufio.Reader) ([]byte, error) {
	got := make([]byte, len(Magic))
	n, err := io.ReadFull(br, got)
	if err != nil {
		if strings.HasPrefix(Magic, string(got[:n])) && n > 0 {
			return nil, fmt.Errorf("%w: it ends in the preamble", ErrTruncated)
		}
		return nil, ErrNotBackup
	}
	if string(got) != Magic {
		return nil, ErrNotBackup
	}
	line, err := readLine(br, 64)
	if err != nil {
		return nil, err
	}
	v, ok := strings.CutPrefix(line, "version ")
	ver, verr := strconv.Atoi(v)
	switch {
	case !ok || verr != nil || ver < 1 || strings.TrimLeft(v, "0123456789") != "":
		return nil, fmt.Errorf("%w: bad version line", ErrTampered)
	case ver > FormatVersion:
		return nil, fmt.Errorf("%w (format %d; this one reads %d)", ErrNewerFormat, ver, FormatVersion)
	case ver != FormatVersion:
		return nil, fmt.Errorf("%w: bad version line", ErrTampered)
	}
	line, err = readLine(br, 128)
	if err != nil {
		return nil, err
	}
	hexSum, ok := strings.CutPrefix(line, "age-header sha256:")
	want, herr := hex.DecodeString(hexSum)
	if !ok || herr != nil || len(want) != sha256.Size {
		return nil, fmt.Errorf("%w: bad age-header line", ErrTampered)
	}
	// The age header: lines up to and including "--- <mac>".
	var hdr []byte
	for len(hdr) < 8<<10 {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%w: it ends in the encryption header", ErrTruncated)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				return nil, fmt.Errorf("%w: encryption header", ErrTampered)
			}
			return nil, err
		}
		hdr = append(hdr, line...)
		if bytes.HasPrefix(line, []byte("--- ")) {
			if sum := sha256.Sum256(hdr); !bytes.Equal(sum[:], want) {
				return nil, fmt.Errorf("%w: the encryption header does not match its checksum", ErrTampered)
			}
			return hdr, nil
		}
	}
	return nil, fmt.Errorf("%w: encryption header too long", ErrTampered)
}

// readLine reads one "\n"-terminated line of at most max bytes.
func readLine(br *bufio.Reader, max int) (string, error) {
	var b []byte
	for len(b) <= max {
		c, err := br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", fmt.Errorf("%w: it ends in the preamble", ErrTruncated)
			}
			return "", err
		}
		if c == '\n' {
			return string(b), nil
		}
		b = append(b, c)
	}
	return "", fmt.Errorf("%w: preamble line too long", ErrTampered)
}

// errFn marks an error returned by the caller's fn.
var errFn = errors.New("fn failed")

type frameReader struct {
	r     *bufio.Reader
	sum   hash.Hash
	n     int64
	buf   []byte
	fnErr error
}

func (f *frameReader) next(max int) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(f.r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if int64(n) > int64(max) {
		return 0, nil, fmt.Errorf("%w: a %d-byte frame", ErrTampered, n)
	}
	if cap(f.buf) < int(n) {
		f.buf = make([]byte, n)
	}
	b := f.buf[:n]
	if _, err := io.ReadFull(f.r, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	if hdr[0] != frameTrailer {
		f.sum.Write(hdr[:])
		f.sum.Write(b)
	}
	f.n += int64(len(hdr)) + int64(n)
	return hdr[0], b, nil
}

func (f *frameReader) read(start func(Header) error, fn func(string, []byte) error) (Header, error) {
	kind, b, err := f.next(maxHeaderFrame)
	if err != nil {
		return Header{}, err
	}
	var fh fileHeader
	if kind != frameHeader || json.Unmarshal(b, &fh) != nil {
		return Header{}, fmt.Errorf("%w: no header", ErrTampered)
	}
	if fh.Format != FormatVersion {
		return Header{}, fmt.Errorf("%w: header says format %d", ErrTampered, fh.Format)
	}
	if len(fh.Key) != 32 || fh.Records < 0 {
		return Header{}, fmt.Errorf("%w: bad header", ErrTampered)
	}
	h := fh.Header
	h.MasterKey = fh.Key
	if start != nil {
		if err := start(h); err != nil {
			f.fnErr = err
			return Header{}, errFn
		}
	}
	counts := map[string]int{}
	records := 0
	for {
		kind, b, err := f.next(maxFrame)
		if err != nil {
			return Header{}, err
		}
		if kind == frameTrailer {
			return f.finish(h, counts, records, b)
		}
		if kind != frameRecord {
			return Header{}, fmt.Errorf("%w: unknown frame %q", ErrTampered, kind)
		}
		klen, k := binary.Uvarint(b)
		if k <= 0 || klen > uint64(len(b)-k) {
			return Header{}, fmt.Errorf("%w: bad record %d", ErrTampered, records+1)
		}
		key := string(b[k : k+int(klen)])
		records++
		counts[Prefix(key)]++
		if records > h.Records {
			return Header{}, fmt.Errorf("%w: more records than the header says", ErrTampered)
		}
		if err := fn(key, b[k+int(klen):]); err != nil {
			f.fnErr = err
			return Header{}, errFn
		}
	}
}

// finish checks the trailer t against what was read, and the end of the file.
func (f *frameReader) finish(h Header, counts map[string]int, records int, t []byte) (Header, error) {
	if len(t) != 8+sha256.Size {
		return Header{}, fmt.Errorf("%w: bad trailer", ErrTampered)
	}
	sum := f.sum.Sum(nil)
	if binary.BigEndian.Uint64(t) != uint64(records) || !bytes.Equal(t[8:], sum) {
		return Header{}, fmt.Errorf("%w: the trailer does not match the records", ErrTampered)
	}
	if records != h.Records || !maps.Equal(counts, h.Counts) {
		return Header{}, fmt.Errorf("%w: the records do not match the header's counts", ErrTampered)
	}
	// Padding to a full chunk, then the end.
	rest, err := io.ReadAll(io.LimitReader(f.r, chunkSize+1))
	if err != nil {
		return Header{}, err
	}
	if len(rest) >= chunkSize || bytes.ContainsFunc(rest, func(r rune) bool { return r != 0 }) { // zero bytes only
		return Header{}, fmt.Errorf("%w: data after the trailer", ErrTampered)
	}
	return h, nil
}

// Verify reads the whole backup at path with passphrase and returns its
// header (without keeping anything it read).
func Verify(path, passphrase string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	return Read(f, passphrase, func(string, []byte) error { return nil })
}

// eofReader remembers that its source has ended.
type eofReader struct {
	r   io.Reader
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if errors.Is(err, io.EOF) {
		e.eof = true
	}
	return n, err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
