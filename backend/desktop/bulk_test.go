package desktop

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"hostbound/backend/onboard"
	"hostbound/backend/users"
)

type fakeDialogs struct{ file, dir string }

func (d fakeDialogs) SaveFile(string, string) (string, error) { return d.file, nil }
func (d fakeDialogs) ChooseDirectory(string) (string, error)  { return d.dir, nil }

// bulkRig is Ada logged in with the Bulk facade, its progress events
// recorded.
func bulkRig(t *testing.T) (*app, *Bulk, func() []users.BulkProgress) {
	t.Helper()
	r := newRig(t)
	s := r.start(t)
	var mu sync.Mutex
	var events []users.BulkProgress
	s.cfg.Emit = func(event string, data any) {
		if event == BulkProgressEvent {
			mu.Lock()
			events = append(events, data.(users.BulkProgress))
			mu.Unlock()
		}
	}
	if _, err := s.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b := NewBulk(s.Session, fakeDialogs{file: filepath.Join(dir, "keys.csv"), dir: dir})
	return s, b, func() []users.BulkProgress {
		mu.Lock()
		defer mu.Unlock()
		return append([]users.BulkProgress(nil), events...)
	}
}

var common = BulkCommon{Prefix: "backup", Role: "password_user", Scope: "owned_shared", RESTEnabled: true, NeverExpires: true}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestBulkFromPastedHostsToAKeyFile(t *testing.T) {
	t.Parallel()
	_, b, events := bulkRig(t)
	rows, err := b.ParseBulkHosts("web01.example.com\nbad host!\n10.0.0.7\n")
	if err != nil || len(rows) != 3 {
		t.Fatalf("parse: %v, %v", rows, err)
	}
	p, err := b.CheckBulkAPIUsers(BulkRequest{Rows: rows, Common: common})
	if err != nil {
		t.Fatal(err)
	}
	// The bad host makes a bad default username too: both cells are marked.
	if p.Bad != 1 || p.Rows[0].Username != "backup@web01.example.com" || len(p.Rows[1].Errors) != 2 ||
		p.Rows[1].Errors[1].Field != "host" || p.Rows[1].Errors[1].Message != "Host Name: not a valid hostname, IP address or CIDR" {
		t.Fatalf("preview %+v", p)
	}
	keyFile, err := b.ChooseKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is created while a row is bad, and no key file is left.
	req := BulkCreateRequest{Rows: rows, Common: common, KeyFile: keyFile}
	if e := uiErr(t, second(b.CreateBulkAPIUsers(req))); e.Message != "1 of 3 rows have errors: fix them, or skip the bad rows" {
		t.Fatalf("got %+v", e)
	}
	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Fatalf("a refused run left a key file: %v", err)
	}
	// Fixed in the preview.
	rows[1].Host = "web02.example.com"
	res, err := b.CreateBulkAPIUsers(BulkCreateRequest{Rows: rows, Common: common, KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.InKeyFile != 3 || res.Message != "3 API users were created." {
		t.Fatalf("result %+v", res)
	}
	if strings.Contains(toJSON(t, res), "hbk_") {
		t.Fatal("the result holds a key")
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(keyFile); fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %o", fi.Mode().Perm())
		}
	}
	recs := readCSV(t, keyFile)
	if len(recs) != 4 || recs[2][0] != "backup@web02.example.com" || recs[2][1] != "web02.example.com" || !strings.HasPrefix(recs[2][2], "hbk_") {
		t.Fatalf("key file %q", recs)
	}
	if ev := events(); len(ev) != 1 || ev[0] != (users.BulkProgress{Done: 3, Total: 3}) {
		t.Fatalf("events %+v", ev)
	}
}

func TestBulkCSVErrorsNameTheColumn(t *testing.T) {
	t.Parallel()
	_, b, _ := bulkRig(t)
	e := uiErr(t, second(b.ParseBulkCSV("Host Name,Hostname\nweb01,x\n")))
	if !strings.HasPrefix(e.Message, `The CSV file cannot be read: unknown column "Hostname"`) {
		t.Fatalf("got %+v", e)
	}
	if e := uiErr(t, second(b.ParseBulkHosts("\n\n"))); e.Message != "The host list holds no row" {
		t.Fatalf("got %+v", e)
	}
}

func TestBulkRefusesARunWithoutAKeyFile(t *testing.T) {
	t.Parallel()
	_, b, _ := bulkRig(t)
	rows, _ := b.ParseBulkHosts("web01\n")
	e := uiErr(t, second(b.CreateBulkAPIUsers(BulkCreateRequest{Rows: rows, Common: common})))
	if e.Field != "keyFile" {
		t.Fatalf("got %+v", e)
	}
	e = uiErr(t, second(b.CreateBulkAPIUsers(BulkCreateRequest{Rows: rows, Common: common, KeyFile: "relative.csv"})))
	if e.Field != "keyFile" {
		t.Fatalf("got %+v", e)
	}
}

func TestBulkSealsTheKeysOfHostsWithAnSSHKeyAndTheRestGoIntoTheCSV(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("age"); err != nil {
		t.Fatal("the age binary is missing: apt-get install -y age (tools/install-deps.sh installs it)")
	}
	_, b, _ := bulkRig(t)
	keys := t.TempDir()
	priv := filepath.Join(keys, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", priv).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	pub, _ := os.ReadFile(priv + ".pub")
	csvText := "Host Name,SSH Public Key\nweb01.example.com,\"" + strings.TrimSpace(string(pub)) + "\"\nweb02.example.com,\n"
	rows, err := b.ParseBulkCSV(csvText)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.CheckBulkAPIUsers(BulkRequest{Rows: rows, Common: common})
	if err != nil || p.Bad != 0 || !p.Rows[0].Sealable || p.Rows[1].Sealable {
		t.Fatalf("preview %+v, %v", p, err)
	}
	dir, _ := b.ChooseSealDirectory()
	keyFile, _ := b.ChooseKeyFile()
	res, err := b.CreateBulkAPIUsers(BulkCreateRequest{Rows: rows, Common: common, KeyFile: keyFile, SealDir: dir})
	if err != nil || res.Sealed != 1 || res.InKeyFile != 1 {
		t.Fatalf("result %+v, %v", res, err)
	}
	sealed := filepath.Join(dir, onboard.SealedName("backup@web01.example.com"))
	out, err := exec.Command("age", "-d", "-i", priv, sealed).Output()
	if err != nil || !strings.HasPrefix(string(out), "hbk_") {
		t.Fatalf("age -d: %q, %v", out, err)
	}
	recs := readCSV(t, keyFile)
	if len(recs) != 2 || recs[1][0] != "backup@web02.example.com" {
		t.Fatalf("key file %q", recs)
	}
	if raw, _ := os.ReadFile(keyFile); bytes.Contains(raw, bytes.TrimSpace(out)) {
		t.Fatal("the sealed key is in the CSV too")
	}
}

func TestCancelStopsABulkRunAfterTheCurrentBatch(t *testing.T) {
	t.Parallel()
	s, b, _ := bulkRig(t)
	rows := make([]onboard.Row, 3*users.BulkBatch)
	for i := range rows {
		rows[i] = onboard.Row{Line: i + 1, Host: "h" + strings.Repeat("x", i%5) + "-" + string(rune('a'+i%26)) + itoa(uint64(i))}
	}
	// Cancel as the first batch's progress goes out.
	emit := s.cfg.Emit
	s.cfg.Emit = func(event string, data any) {
		emit(event, data)
		if event == BulkProgressEvent {
			b.CancelBulkCreate()
		}
	}
	keyFile, _ := b.ChooseKeyFile()
	res, err := b.CreateBulkAPIUsers(BulkCreateRequest{Rows: rows, Common: common, KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	want := "Cancelled: 200 of 600 API users were created."
	if !res.Cancelled || res.Created != users.BulkBatch || res.Message != want || len(readCSV(t, keyFile)) != users.BulkBatch+1 {
		t.Fatalf("result %+v", res)
	}
	// A second run may start once the first has ended.
	b.CancelBulkCreate() // nothing runs: harmless
}
