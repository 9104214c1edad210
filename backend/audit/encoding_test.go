package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// v0JSON is a record exactly as the chain stored it before encoding
// versions: json.Marshal of the Record of that time, field for field.
func v0JSON(seq int, target, prev, hash string) string {
	return fmt.Sprintf(`{"seq":%d,"time":"2026-11-26T09:00:0%d.25Z","actor":"admin","actorName":"Ada Admin","actorKind":"operator",`+
		`"source":"desktop","operation":"login","target":%q,"result":"success","reason":"","prev":%q,"hash":%q}`, seq, seq, target, prev, hash)
}

func mac(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// putV0Chain writes n records the way the chain wrote them before versions:
// Hash = HMAC(key, Prev ‖ the record's JSON with an empty hash).
func putV0Chain(t *testing.T, st *store.Store, key string, n int) {
	t.Helper()
	err := st.Update(func(tx *store.Txn) error {
		prev := ""
		for seq := 1; seq <= n; seq++ {
			target := fmt.Sprint("web0", seq)
			hash := mac(key, prev+v0JSON(seq, target, prev, ""))
			if err := tx.Put(recKey(uint64(seq)), json.RawMessage(v0JSON(seq, target, prev, hash))); err != nil {
				return err
			}
			prev = hash
		}
		return tx.Put(headKey, head{Seq: uint64(n), Hash: prev})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func appendN(t *testing.T, st *store.Store, l *Log, n int) {
	t.Helper()
	for i := range n {
		err := st.Update(func(tx *store.Txn) error {
			_, err := l.Append(tx, Record{Actor: "admin", ActorKind: ActorOperator, Source: "desktop", Operation: "op", Target: fmt.Sprint("t", i), Result: Success})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(st *store.Store, l *Log) (n uint64, err error) {
	st.View(func(tx *store.Txn) error {
		n, err = l.Verify(tx)
		return nil
	})
	return n, err
}

func TestRecordsWrittenBeforeVersionsStillVerify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		after func(t *testing.T, st *store.Store, l *Log)
		want  string // "" when the chain verifies
	}{
		{"a chain of version 0 records verifies", func(*testing.T, *store.Store, *Log) {}, ""},
		{"new records chain on after version 0 ones", func(t *testing.T, st *store.Store, l *Log) { appendN(t, st, l, 2) }, ""},
		{"an edited version 0 record is named", func(t *testing.T, st *store.Store, l *Log) {
			err := st.Update(func(tx *store.Txn) error {
				var raw json.RawMessage
				if err := tx.Get(recKey(2), &raw); err != nil {
					return err
				}
				return tx.Put(recKey(2), json.RawMessage(strings.Replace(string(raw), `"web02"`, `"db02"`, 1)))
			})
			if err != nil {
				t.Fatal(err)
			}
		}, "record 2 was altered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := testenv.Store(t)
			l := New([]byte("k"), testenv.NewClock().Now)
			putV0Chain(t, st, "k", 3)
			c.after(t, st, l)
			n, err := verify(st, l)
			if c.want == "" && err != nil {
				t.Fatalf("verify after %d records: %v", n, err)
			}
			if c.want != "" && (!errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// A later Hostbound adds a field to Record and writes old records back with
// it. Neither version may depend on fields it does not name.
func TestRecordsStayValidWhenRecordGainsAField(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	l := New([]byte("k"), testenv.NewClock().Now)
	putV0Chain(t, st, "k", 2)
	appendN(t, st, l, 2)

	type grown struct {
		Record
		Ticket string `json:"ticket"`
	}
	err := st.Update(func(tx *store.Txn) error {
		for seq := uint64(1); seq <= 4; seq++ {
			var g grown
			if err := tx.Get(recKey(seq), &g); err != nil {
				return err
			}
			// The control: had the chain hashed the struct, this growth alone
			// would have made every record look altered.
			h := g
			h.Hash = ""
			b, _ := json.Marshal(h)
			if mac("k", g.Prev+string(b)) == g.Hash {
				t.Errorf("record %d: the grown struct hashes like the stored one; the test shows nothing", seq)
			}
			if err := tx.Put(recKey(seq), g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := verify(st, l); err != nil || n != 4 {
		t.Fatalf("after Record gained a field: %d records, %v", n, err)
	}
}

// Whoever adds a field to Record must give it an encoding version; until
// then this fails, before any stored hash depends on the new field.
func TestRecordFieldsAreCoveredByAnEncoding(t *testing.T) {
	t.Parallel()
	covered := map[string]string{
		"Seq": "v1", "Time": "v1", "Actor": "v1", "ActorName": "v1", "ActorKind": "v1", "Source": "v1",
		"Operation": "v1", "Target": "v1", "Result": "v1", "Reason": "v1", "Prev": "v1",
		"Hash": "the HMAC itself", "V": "the version byte",
	}
	for f := range reflect.TypeFor[Record]().Fields() {
		if _, ok := covered[f.Name]; !ok {
			t.Errorf("Record.%s is in no hash encoding: add version %d in encoding.go and list the field here", f.Name, currentVersion+1)
		}
	}
}

func TestChangingAnyFieldOfARecordIsNamed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(r *Record)
		want   string
	}{
		{"a changed time is named", func(r *Record) { r.Time = r.Time.Add(time.Nanosecond) }, "record 2 was altered"},
		{"a changed actor is named", func(r *Record) { r.Actor = "root" }, "record 2 was altered"},
		{"a changed actor name is named", func(r *Record) { r.ActorName = "Mallory" }, "record 2 was altered"},
		{"a changed actor kind is named", func(r *Record) { r.ActorKind = ActorSystem }, "record 2 was altered"},
		{"a changed source is named", func(r *Record) { r.Source = "10.0.0.9" }, "record 2 was altered"},
		{"a changed operation is named", func(r *Record) { r.Operation = "other" }, "record 2 was altered"},
		{"a changed target is named", func(r *Record) { r.Target = "elsewhere" }, "record 2 was altered"},
		{"a changed result is named", func(r *Record) { r.Result = Failure }, "record 2 was altered"},
		{"a changed reason is named", func(r *Record) { r.Reason = "because" }, "record 2 was altered"},
		{"a changed prev is named", func(r *Record) { r.Prev = strings.Repeat("0", 64) }, "record 2 was altered"},
		{"a changed hash is named", func(r *Record) { r.Hash = strings.Repeat("0", 64) }, "record 2 was altered"},
		{"a changed sequence number is named", func(r *Record) { r.Seq = 9 }, "record 2 is missing or out of order"},
		{"a version set back to 0 is named", func(r *Record) { r.V = 0 }, "record 2 was altered"},
		{"an unknown version is named", func(r *Record) { r.V = currentVersion + 1 }, "record 2: unknown encoding version 2"},
		{"text moved from one field to the next is named", func(r *Record) { r.Actor, r.ActorName = "admi", "n"+r.ActorName }, "record 2 was altered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := testenv.Store(t)
			l := New([]byte("k"), testenv.NewClock().Now)
			err := st.Update(func(tx *store.Txn) error {
				for range 3 {
					if _, err := l.Append(tx, Record{Actor: "admin", ActorName: "Ada", ActorKind: ActorOperator, Source: "desktop", Operation: "op", Target: "t", Result: Success, Reason: "r"}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := verify(st, l); err != nil || n != 3 {
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			err = st.Update(func(tx *store.Txn) error {
				var r Record
				if err := tx.Get(recKey(2), &r); err != nil {
					return err
				}
				c.tamper(&r)
				return tx.Put(recKey(2), r)
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := verify(st, l); !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// The bytes of version 1 are a stored format: this fails on any change to
// them, however small. The time is given in another zone to pin "in UTC",
// the reason is long enough for a two-byte length.
func TestVersion1EncodingIsFixed(t *testing.T) {
	t.Parallel()
	r := Record{
		Seq: 7, Time: time.Date(2026, 11, 26, 11, 0, 0, 500_000_000, time.FixedZone("", 2*3600)),
		Actor: "admin", ActorName: "Ada Admin", ActorKind: "operator", Source: "10.0.0.5", Operation: "GET_PASSWORD",
		Target: "web01/root", Result: "success", Reason: strings.Repeat("r", 200), Prev: "ab12", Hash: "ignored", V: 1,
	}
	want := "01" + "0000000000000007" +
		"16" + hex.EncodeToString([]byte("2026-11-26T09:00:00.5Z")) +
		"05" + "61646d696e" + // admin
		"09" + "4164612041646d696e" + // Ada Admin
		"08" + "6f70657261746f72" + // operator
		"08" + "31302e302e302e35" + // 10.0.0.5
		"0c" + "4745545f50415353574f5244" + // GET_PASSWORD
		"0a" + "77656230312f726f6f74" + // web01/root
		"07" + "73756363657373" + // success
		"c801" + strings.Repeat("72", 200) + // r × 200
		"04" + "61623132" // ab12
	got, err := hashInput(r)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(got) != want {
		t.Fatalf("version 1 encoding changed:\n got %x\nwant %s", got, want)
	}
	// The HMAC covers those bytes and nothing else.
	if sum, _ := New([]byte("k"), nil).chain(r); sum != "cbc9b3ae041c85bf499bf21f70c6b1ec0474fae7c0c9ade2fc07de85046c37aa" {
		t.Fatalf("version 1 hash changed: %s", sum)
	}
}

func TestClipCutsOnACharacterBoundary(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"a short text is kept", "web01", 10, "web01"},
		{"a text of exactly the limit is kept", "0123456789", 10, "0123456789"},
		{"a longer text ends in an ellipsis within the limit", "0123456789a", 10, "0123456…"},
		{"a two-byte character is not split", "éééééé", 10, "ééé…"},
		{"a four-byte character is not split", "😀😀😀", 10, "😀…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := clip(c.in, c.n)
			if got != c.want || len(got) > c.n || !utf8.ValidString(got) {
				t.Fatalf("clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
			}
		})
	}
}

func TestAppendCapsTargetAndReason(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                 string
		target, reason       string
		wantTarget, wantReas int // stored lengths in bytes
	}{
		{"short fields are stored whole", "web01", "no such account", 5, 15},
		{"fields of exactly the caps are stored whole", strings.Repeat("t", 1024), strings.Repeat("r", 2048), 1024, 2048},
		{"a long target is cut to 1024 bytes", strings.Repeat("t", 5000), "", 1024, 0},
		{"a long reason is cut to 2048 bytes", "", strings.Repeat("r", 5000), 0, 2048},
		{"cut multi-byte text stays whole characters", strings.Repeat("é", 600), strings.Repeat("😀", 600), 1023, 2047},
		{"invalid UTF-8 is repaired before the cut", strings.Repeat("\xffa", 500), "", 1023, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := testenv.Store(t)
			l := New([]byte("k"), testenv.NewClock().Now)
			err := st.Update(func(tx *store.Txn) error {
				_, err := l.Append(tx, Record{Actor: "api", Operation: "GET_PASSWORD", Target: c.target, Reason: c.reason, Result: Failure})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var recs []Record
			st.View(func(tx *store.Txn) (err error) { recs, err = l.List(tx); return })
			r := recs[0]
			if len(r.Target) != c.wantTarget || len(r.Reason) != c.wantReas || !utf8.ValidString(r.Target) || !utf8.ValidString(r.Reason) {
				t.Fatalf("stored target of %d bytes, reason of %d; want %d and %d", len(r.Target), len(r.Reason), c.wantTarget, c.wantReas)
			}
			for _, f := range []struct{ in, stored string }{{c.target, r.Target}, {c.reason, r.Reason}} {
				long := len(strings.ToValidUTF8(f.in, "\uFFFD")) > len(f.stored)
				if long != strings.HasSuffix(f.stored, "…") {
					t.Errorf("cut %v, but the stored text ends %q", long, f.stored[max(0, len(f.stored)-6):])
				}
			}
			if _, err := verify(st, l); err != nil {
				t.Fatal(err)
			}
		})
	}
}
