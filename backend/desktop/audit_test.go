package desktop

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

func TestAuditScreenShowsActionsAndExportsThem(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	s.cfg.ExportDir = t.TempDir()
	a := NewAudit(s.Session)
	key, _ := u.GenerateAPIKey()
	if _, err := u.CreateAPIUser(apiRequest(key, r.clock.Now().AddDate(0, 0, 5))); err != nil {
		t.Fatal(err)
	}
	page, err := a.QueryAudit(AuditFilter{Actor: "admin"}, 0, 50)
	if err != nil || len(page.Records) < 3 {
		t.Fatalf("query: %+v, %v", page, err)
	}
	if top := page.Records[0]; top.Operation != "create api user" || top.ActorName != "Ada Admin" || top.Target != "backup@web01.example.com" {
		t.Fatalf("newest record %+v", top)
	}
	if e := uiErr(t, second(a.QueryAudit(AuditFilter{From: "yesterday"}, 0, 10))); e.Field != "from" {
		t.Fatalf("bad from: %+v", e)
	}
	res, err := a.ExportAudit("csv", AuditFilter{Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(res.Path)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != res.Records+1 || rows[0][0] != "seq" {
		t.Fatalf("csv: %d rows for %d records, %v", len(rows), res.Records, err)
	}
	if b, _ := os.ReadFile(res.Path); strings.Contains(string(b), key[8:]) || strings.Contains(string(b), setup.Password) {
		t.Fatal("the export holds a secret")
	}
	if fi, _ := os.Stat(res.Path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("export mode %v", fi.Mode().Perm())
	}
	if p, _ := a.QueryAudit(AuditFilter{Operation: "export audit trail"}, 0, 5); len(p.Records) != 1 {
		t.Fatal("the export was not audited")
	}
	if v, err := a.VerifyAudit(); err != nil || !v.OK || v.Records < 4 {
		t.Fatalf("verify: %+v, %v", v, err)
	}
	rep, err := a.GetReports()
	if err != nil || rep.KeyStatus["expiring7"] != 1 || len(rep.ExpiringSoon) != 1 || len(rep.SuperAdmins) != 1 || rep.PerHost[0].Host != "web01.example.com" {
		t.Fatalf("reports: %+v, %v", rep, err)
	}
}

func TestAuditRecordsCarryTheirChain(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	key, _ := u.GenerateAPIKey()
	if _, err := u.CreateAPIUser(apiRequest(key, r.clock.Now().AddDate(0, 0, 5))); err != nil {
		t.Fatal(err)
	}
	page, err := NewAudit(s.Session).QueryAudit(AuditFilter{}, 0, 50)
	if err != nil || len(page.Records) < 2 {
		t.Fatalf("query: %+v, %v", page, err)
	}
	for i, r := range page.Records[:len(page.Records)-1] {
		older := page.Records[i+1]
		if r.Hash == "" || r.Prev != older.Hash || r.Seq != older.Seq+1 {
			t.Fatalf("record %d: prev %q, the one before (%d) has hash %q", r.Seq, r.Prev, older.Seq, older.Hash)
		}
	}
	if first := page.Records[len(page.Records)-1]; first.Seq != 1 || first.Prev != "" {
		t.Fatalf("the first record %+v", first)
	}
	if top := page.Records[0]; top.Version == 0 {
		t.Fatalf("record %d: no encoding version", top.Seq)
	}
}
