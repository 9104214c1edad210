package restapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/vault"
)

// TestTheREADMEExamplesWork runs every curl line of the README's "Use the
// API" section against a real server and expects PMP's Success envelope.
func TestTheREADMEExamplesWork(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed to check the README examples")
	}
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "<!-- api-examples:start"):
			in = true
		case strings.HasPrefix(l, "<!-- api-examples:end"):
			in = false
		case in && strings.HasPrefix(l, "curl "):
			lines = append(lines, l)
		}
	}
	if len(lines) < 7 {
		t.Fatalf("found %d curl examples in README.md", len(lines))
	}
	w := newWorld(t)
	key := w.apiUser(t, "readme@localhost", "127.0.0.1", access.PasswordUser, vault.Modify)
	env := append(os.Environ(), "HB="+w.base, "AUTHTOKEN="+key,
		fmt.Sprintf("RID=%d", w.res.ID), fmt.Sprintf("AID=%d", w.db.ID))
	for _, l := range lines {
		cmd := exec.Command("bash", "-c", l)
		cmd.Env = env
		out, err := cmd.Output()
		var e envelope
		if err != nil || json.Unmarshal(out, &e) != nil || e.Operation.Result.Status != "Success" {
			t.Errorf("%s\n→ %v %s", l, err, out)
		}
	}
}
