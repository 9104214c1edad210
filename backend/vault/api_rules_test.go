package vault_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/passgen"
	"hostbound/backend/vault"
)

// The vault behaviour that the PMP API needs (reason and ticket id,
// account lists, patches, owners, resource types, generated passwords),
// tested once here for every face.

func ptr[T any](v T) *T { return &v }

// latest is the newest audit record that matches f.
func latest(t *testing.T, w *testdomain.World, f audit.Filter) audit.Record {
	t.Helper()
	p, err := w.Trail.Query(w.AdminActor, f, 0, 1)
	mustNil(t, err)
	if len(p.Records) == 0 {
		t.Fatalf("no audit record matches %+v", f)
	}
	return p.Records[0]
}

// fieldErr returns the Invalid error of err about field, failing otherwise.
func fieldErr(t *testing.T, err error, field string) *apperr.Error {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || e.Field != field {
		t.Fatalf("got %v, want an invalid %q", err, field)
	}
	return e
}

func TestAnAccountThatAsksForAReasonOrTicketIsRevealedOnlyWithThem(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "db01"})
	mustNil(t, err)
	mk := func(name string, in vault.AccountInput) vault.Account {
		in.Name, in.Password = name, "pw-"+name
		acct, err := w.Vault.CreateAccount(w.AdminActor, r.ID, in)
		mustNil(t, err)
		return acct
	}
	plain := mk("plain", vault.AccountInput{})
	reasoned := mk("reasoned", vault.AccountInput{ReasonRequired: true})
	ticketed := mk("ticketed", vault.AccountInput{TicketMandatory: true})
	asked := mk("asked", vault.AccountInput{TicketRequired: true})
	both := mk("both", vault.AccountInput{ReasonRequired: true, TicketMandatory: true})
	svc := apiActor(t, w, "svc")
	mustNil(t, w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: r.ID, Grantee: "svc", Permission: vault.View}))

	t.Run("a mandatory ticket id is a ticket id asked for", func(t *testing.T) {
		if !ticketed.TicketRequired || !ticketed.TicketMandatory {
			t.Fatalf("created: %+v", ticketed)
		}
		_, stored, err := w.Vault.GetAccount(w.AdminActor, r.ID, ticketed.ID)
		mustNil(t, err)
		if !stored.TicketRequired || !stored.TicketMandatory || stored.ReasonRequired {
			t.Fatalf("stored: %+v", stored)
		}
	})

	reveals := []struct {
		name   string
		reveal func(acct vault.Account, why vault.Purpose) (string, error)
	}{
		{"RevealPassword", func(acct vault.Account, why vault.Purpose) (string, error) {
			return w.Vault.RevealPassword(svc, r.ID, acct.ID, why)
		}},
		{"RevealPasswordByName", func(acct vault.Account, why vault.Purpose) (string, error) {
			return w.Vault.RevealPasswordByName(svc, "db01", acct.Name, why)
		}},
		{"RevealAccount", func(acct vault.Account, why vault.Purpose) (string, error) {
			_, got, err := w.Vault.RevealAccount(svc, r.ID, acct.ID, why)
			return got.Password, err
		}},
	}
	cases := []struct {
		name  string
		acct  vault.Account
		why   vault.Purpose
		field string // "" when the password is revealed
		msg   string
	}{
		{"an account asking for a reason is refused without one", reasoned, vault.Purpose{TicketID: "CHG-1"}, "reason", vault.MsgReasonRequired},
		{"a reason of blanks is no reason", reasoned, vault.Purpose{Reason: "   "}, "reason", vault.MsgReasonRequired},
		{"an account asking for a reason is revealed with one", reasoned, vault.Purpose{Reason: "nightly backup"}, "", ""},
		{"an account with a mandatory ticket id is refused without one", ticketed, vault.Purpose{Reason: "nightly backup"}, "ticketId", vault.MsgTicketRequired},
		{"an account with a mandatory ticket id is revealed with one", ticketed, vault.Purpose{TicketID: "CHG-42"}, "", ""},
		{"an account that asks for a ticket id without insisting is revealed without one", asked, vault.Purpose{}, "", ""},
		{"an account asking for both is refused with only a reason", both, vault.Purpose{Reason: "audit"}, "ticketId", vault.MsgTicketRequired},
		{"an account asking for both is refused with only a ticket id", both, vault.Purpose{TicketID: "CHG-7"}, "reason", vault.MsgReasonRequired},
		{"an account asking for both is revealed with both", both, vault.Purpose{Reason: "audit", TicketID: "CHG-7"}, "", ""},
		{"an account asking for nothing is revealed without a purpose", plain, vault.Purpose{}, "", ""},
	}
	for _, rv := range reveals {
		for _, c := range cases {
			t.Run(rv.name+": "+c.name, func(t *testing.T) {
				pw, err := rv.reveal(c.acct, c.why)
				rec := latest(t, w, audit.Filter{Actor: "svc", Operation: "reveal password"})
				if rec.Target != "db01 / "+c.acct.Name {
					t.Errorf("record target %q", rec.Target)
				}
				if c.field != "" {
					e := fieldErr(t, err, c.field)
					if e.Message != c.msg || !errors.Is(err, vault.ErrPurposeMissing) {
						t.Errorf("refusal %q (is ErrPurposeMissing: %v)", e.Message, errors.Is(err, vault.ErrPurposeMissing))
					}
					if pw != "" {
						t.Errorf("the refusal came with the password %q", pw)
					}
					if rec.Result == audit.Success {
						t.Errorf("the refusal is recorded as a success: %+v", rec)
					}
					return
				}
				if err != nil || pw != "pw-"+c.acct.Name {
					t.Fatalf("got %q %v, want pw-%s", pw, err, c.acct.Name)
				}
				if rec.Result != audit.Success {
					t.Errorf("record %+v", rec)
				}
				if c.why.Reason != "" && !strings.Contains(rec.Reason, "reason: "+c.why.Reason) {
					t.Errorf("record reason %q lacks the reason", rec.Reason)
				}
				if c.why.TicketID != "" && !strings.Contains(rec.Reason, "ticket: "+c.why.TicketID) {
					t.Errorf("record reason %q lacks the ticket id", rec.Reason)
				}
			})
		}
	}

	t.Run("RevealAccount's refusal names the resource and account, password blank", func(t *testing.T) {
		gotR, gotA, err := w.Vault.RevealAccount(svc, r.ID, both.ID, vault.Purpose{})
		if !errors.Is(err, vault.ErrPurposeMissing) {
			t.Fatalf("err %v", err)
		}
		if gotR.ID != r.ID || gotR.Name != "db01" || gotA.ID != both.ID || gotA.Name != "both" ||
			!gotA.ReasonRequired || !gotA.TicketMandatory || gotA.Password != "" {
			t.Fatalf("resource %+v account %+v", gotR, gotA)
		}
	})
	t.Run("RevealAccount's other refusals name neither", func(t *testing.T) {
		stranger := w.Operator(t, "sam", access.PasswordUser, access.ScopeOwnedShared)
		gotR, gotA, err := w.Vault.RevealAccount(stranger, r.ID, reasoned.ID, vault.Purpose{Reason: "curious"})
		if apperr.CodeOf(err) != apperr.NotFound || gotR != (vault.Resource{}) || gotA != (vault.Account{}) {
			t.Fatalf("got %+v %+v %v", gotR, gotA, err)
		}
	})
}

func TestChangingAPasswordNeedsNoReasonOrTicket(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "db01"})
	mustNil(t, err)
	acct, err := w.Vault.CreateAccount(w.AdminActor, r.ID, vault.AccountInput{Name: "root", Password: "old",
		ReasonRequired: true, TicketMandatory: true})
	mustNil(t, err)
	mustNil(t, w.Vault.ChangePassword(w.AdminActor, r.ID, acct.ID, "new", vault.Purpose{}))
	mustNil(t, w.Vault.ChangePasswordByName(w.AdminActor, "db01", "root", "newer", vault.Purpose{}))
	pw, err := w.Vault.RevealPassword(w.AdminActor, r.ID, acct.ID, vault.Purpose{Reason: "check", TicketID: "T-1"})
	if err != nil || pw != "newer" {
		t.Fatalf("after the changes: %q %v", pw, err)
	}
}

func TestCreateAccountsCreatesAllOrNone(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w) // db01 with postgres
	count := func(t *testing.T) int {
		t.Helper()
		d, err := w.Vault.GetResource(w.AdminActor, r.ID)
		mustNil(t, err)
		return len(d.Accounts)
	}

	t.Run("three accounts in one call are all created", func(t *testing.T) {
		got, err := w.Vault.CreateAccounts(w.AdminActor, r.ID, []vault.AccountInput{
			{Name: "app", Password: "pw-app"}, {Name: "backup", Password: "pw-backup", ReasonRequired: true}, {Name: "monitor", Password: "pw-monitor"},
		})
		mustNil(t, err)
		if len(got) != 3 || got[0].Name != "app" || got[1].Name != "backup" || got[2].Name != "monitor" || !got[1].ReasonRequired {
			t.Fatalf("created %+v", got)
		}
		for _, a := range got {
			if a.Password != "" || a.ResourceID != r.ID || a.ID == 0 || a.ID == acct.ID {
				t.Errorf("account %+v", a)
			}
			pw, err := w.Vault.RevealPassword(w.AdminActor, r.ID, a.ID, vault.Purpose{Reason: "test"})
			if err != nil || pw != "pw-"+a.Name {
				t.Errorf("%s: %q %v", a.Name, pw, err)
			}
		}
		if n := count(t); n != 4 {
			t.Fatalf("%d accounts", n)
		}
	})
	t.Run("a bad second and a duplicate third create nothing and are both named", func(t *testing.T) {
		_, err := w.Vault.CreateAccounts(w.AdminActor, r.ID, []vault.AccountInput{
			{Name: "fresh", Password: "x"}, {Name: "  ", Password: "x"}, {Name: "POSTGRES", Password: "x"},
		})
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid {
			t.Fatalf("got %v", err)
		}
		msgs := map[string]string{}
		for _, f := range e.Fields {
			msgs[f.Field] = f.Message
		}
		if len(msgs) != 2 || !strings.HasPrefix(msgs["accounts.1.accountName"], "Account 2:") ||
			!strings.HasPrefix(msgs["accounts.2.accountName"], "Account 3:") {
			t.Fatalf("fields %+v", e.Fields)
		}
		if n := count(t); n != 4 {
			t.Fatalf("%d accounts after the refusal", n)
		}
		if _, _, err := w.Vault.AccountIDByName(w.AdminActor, "db01", "fresh"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the good first account was kept: %v", err)
		}
		if rec := latest(t, w, audit.Filter{Actor: "admin", Operation: "create account"}); rec.Result == audit.Success {
			t.Fatalf("the refusal is recorded as %+v", rec)
		}
	})
	t.Run("an empty list is refused", func(t *testing.T) {
		for _, ins := range [][]vault.AccountInput{nil, {}} {
			_, err := w.Vault.CreateAccounts(w.AdminActor, r.ID, ins)
			fieldErr(t, err, "accounts")
		}
	})
	t.Run("a Password User who owns nothing is refused and nothing is written", func(t *testing.T) {
		// A modify share lets pete see the resource and change passwords,
		// not add accounts.
		pete := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
		mustNil(t, w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: r.ID, Grantee: "pete", Permission: vault.Modify}))
		_, err := w.Vault.CreateAccounts(pete, r.ID, []vault.AccountInput{{Name: "mine", Password: "x"}, {Name: "also", Password: "y"}})
		if apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("got %v, want forbidden", err)
		}
		if n := count(t); n != 4 {
			t.Fatalf("%d accounts after the refusal", n)
		}
	})
}

func TestAResourceIsGivenAwayOnlyByAnAllPasswordsUser(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pam := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	pat := w.Operator(t, "pat", access.PasswordAdmin, access.ScopeOwnedShared)
	absent := func(t *testing.T, name string) {
		t.Helper()
		if _, err := w.Vault.ResourceIDByName(w.AdminActor, name); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("%s was created: %v", name, err)
		}
	}

	t.Run("the All Passwords administrator gives a new resource to another user, who then manages it", func(t *testing.T) {
		r, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "given", Owner: "pam"})
		mustNil(t, err)
		if r.OwnerID != pam.UserID || r.Owner != "pam" {
			t.Fatalf("owner %q (%s), want pam (%s)", r.Owner, r.OwnerID, pam.UserID)
		}
		rs, err := w.Vault.ListResources(pam)
		mustNil(t, err)
		if len(rs) != 1 || rs[0].ID != r.ID {
			t.Fatalf("pam sees %+v", rs)
		}
		if _, err := w.Vault.PatchResource(pam, r.ID, vault.ResourcePatch{Description: ptr("pam's now")}); err != nil {
			t.Fatalf("pam edits it: %v", err)
		}
		if _, err := w.Vault.CreateAccount(pam, r.ID, vault.AccountInput{Name: "root", Password: "x"}); err != nil {
			t.Fatalf("pam adds an account: %v", err)
		}
	})
	t.Run("an owner-scope Password Administrator cannot give a new resource away", func(t *testing.T) {
		_, err := w.Vault.CreateResource(pam, vault.ResourceInput{Name: "pams-gift", Owner: "pat"})
		fieldErr(t, err, "owner")
		absent(t, "pams-gift")
		if rs, _ := w.Vault.ListResources(pat); len(rs) != 0 {
			t.Fatalf("pat got %+v", rs)
		}
	})
	t.Run("an owner naming nobody is refused", func(t *testing.T) {
		_, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "orphan", Owner: "nobody"})
		if e := fieldErr(t, err, "owner"); e.Message != "Owner: no user named nobody" {
			t.Fatalf("message %q", e.Message)
		}
		absent(t, "orphan")
	})
	for _, c := range []struct {
		name  string
		actor access.Actor
		owner string
	}{
		{"a Password Administrator names themself", pam, "pam"},
		{"a Password Administrator names themself in another case", pat, "PAT"},
		{"the administrator names themself", w.AdminActor, "admin"},
	} {
		t.Run(c.name+" as owner", func(t *testing.T) {
			r, err := w.Vault.CreateResource(c.actor, vault.ResourceInput{Name: "own-" + c.actor.Username, Owner: c.owner})
			mustNil(t, err)
			if r.OwnerID != c.actor.UserID || r.Owner != c.actor.Username {
				t.Fatalf("owner %q (%s)", r.Owner, r.OwnerID)
			}
		})
	}
	t.Run("a patch gives a resource away only for an All Passwords user", func(t *testing.T) {
		id, err := w.Vault.ResourceIDByName(pam, "own-pam")
		mustNil(t, err)
		_, err = w.Vault.PatchResource(pam, id, vault.ResourcePatch{Owner: ptr("pat")})
		fieldErr(t, err, "owner")
		r, err := w.Vault.PatchResource(w.AdminActor, id, vault.ResourcePatch{Owner: ptr("pat")})
		mustNil(t, err)
		if r.OwnerID != pat.UserID {
			t.Fatalf("owner %q (%s)", r.Owner, r.OwnerID)
		}
		if _, err := w.Vault.GetResource(pam, id); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("pam still sees what she no longer owns: %v", err)
		}
	})
}

func TestAPatchChangesOnlyTheFieldsItSets(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	full := vault.ResourceInput{Name: "web01", DNSName: "web01.example.com", Type: "Linux", Description: "old",
		Department: "Ops", Location: "Rack 4", URL: "https://web01.example.com/"}
	r, err := w.Vault.CreateResource(w.AdminActor, full)
	mustNil(t, err)
	acct, err := w.Vault.CreateAccount(w.AdminActor, r.ID, vault.AccountInput{Name: "root", Password: "pw1", Notes: "first"})
	mustNil(t, err)
	reveal := func(t *testing.T, why vault.Purpose) (string, error) {
		t.Helper()
		return w.Vault.RevealPassword(w.AdminActor, r.ID, acct.ID, why)
	}

	t.Run("a patch of the description keeps every other field", func(t *testing.T) {
		got, err := w.Vault.PatchResource(w.AdminActor, r.ID, vault.ResourcePatch{Description: ptr("new")})
		mustNil(t, err)
		d, err := w.Vault.GetResource(w.AdminActor, r.ID)
		mustNil(t, err)
		for _, x := range []vault.Resource{got, d.Resource} {
			if x.Description != "new" || x.Name != full.Name || x.DNSName != full.DNSName || x.Type != full.Type ||
				x.Department != full.Department || x.Location != full.Location || x.URL != full.URL ||
				x.OwnerID != r.OwnerID || x.Owner != r.Owner || !x.CreatedAt.Equal(r.CreatedAt) {
				t.Fatalf("after the patch: %+v", x)
			}
		}
	})
	t.Run("a rename by patch moves the name", func(t *testing.T) {
		got, err := w.Vault.PatchResource(w.AdminActor, r.ID, vault.ResourcePatch{Name: ptr("web02")})
		mustNil(t, err)
		if got.Name != "web02" || got.Type != "Linux" || got.Description != "new" {
			t.Fatalf("after the rename: %+v", got)
		}
		if id, err := w.Vault.ResourceIDByName(w.AdminActor, "WEB02"); err != nil || id != r.ID {
			t.Fatalf("the new name finds %d %v", id, err)
		}
		if _, err := w.Vault.ResourceIDByName(w.AdminActor, "web01"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the old name still finds it: %v", err)
		}
		other, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "web01"})
		mustNil(t, err)
		_, err = w.Vault.PatchResource(w.AdminActor, other.ID, vault.ResourcePatch{Name: ptr("Web02")})
		fieldErr(t, err, "name")
	})
	t.Run("an account patch without a password keeps the password", func(t *testing.T) {
		for _, pt := range []vault.AccountPatch{{Notes: ptr("second")}, {Password: ptr("")}} {
			got, err := w.Vault.PatchAccount(w.AdminActor, r.ID, acct.ID, pt)
			mustNil(t, err)
			if got.Name != "root" || got.Notes != "second" || got.Password != "" {
				t.Fatalf("after the patch: %+v", got)
			}
			if pw, err := reveal(t, vault.Purpose{}); err != nil || pw != "pw1" {
				t.Fatalf("password %q %v", pw, err)
			}
		}
	})
	t.Run("an account patch with a password changes only the password", func(t *testing.T) {
		got, err := w.Vault.PatchAccount(w.AdminActor, r.ID, acct.ID, vault.AccountPatch{Password: ptr("pw2")})
		mustNil(t, err)
		if got.Name != "root" || got.Notes != "second" {
			t.Fatalf("after the patch: %+v", got)
		}
		if pw, err := reveal(t, vault.Purpose{}); err != nil || pw != "pw2" {
			t.Fatalf("password %q %v", pw, err)
		}
	})
	t.Run("an account patch sets and clears the flags one at a time", func(t *testing.T) {
		steps := []struct {
			pt                       vault.AccountPatch
			reason, ticket, mandated bool
		}{
			{vault.AccountPatch{ReasonRequired: ptr(true)}, true, false, false},
			{vault.AccountPatch{TicketMandatory: ptr(true)}, true, true, true},
			{vault.AccountPatch{ReasonRequired: ptr(false)}, false, true, true},
			{vault.AccountPatch{TicketMandatory: ptr(false)}, false, true, false},
			{vault.AccountPatch{TicketRequired: ptr(false)}, false, false, false},
		}
		for i, s := range steps {
			got, err := w.Vault.PatchAccount(w.AdminActor, r.ID, acct.ID, s.pt)
			mustNil(t, err)
			_, stored, err := w.Vault.GetAccount(w.AdminActor, r.ID, acct.ID)
			mustNil(t, err)
			for _, x := range []vault.Account{got, stored} {
				if x.ReasonRequired != s.reason || x.TicketRequired != s.ticket || x.TicketMandatory != s.mandated || x.Notes != "second" {
					t.Fatalf("step %d: %+v", i+1, x)
				}
			}
		}
		if _, err := w.Vault.PatchAccount(w.AdminActor, r.ID, acct.ID, vault.AccountPatch{ReasonRequired: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := reveal(t, vault.Purpose{}); !errors.Is(err, vault.ErrPurposeMissing) {
			t.Fatalf("a reason set by patch is not asked for: %v", err)
		}
	})
}

func TestResourceTypesAreTheStandardOnesAndThoseTheActorSees(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pam := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	for _, c := range []struct {
		actor      access.Actor
		name, kind string
	}{
		{w.AdminActor, "hidden", "Admins Only Appliance"},
		{pam, "pams", "aardvark appliance"},
		{pam, "pams-linux", "linux"}, // a standard type in another case
		{pam, "pams-untyped", "   "},
	} {
		_, err := w.Vault.CreateResource(c.actor, vault.ResourceInput{Name: c.name, Type: c.kind})
		mustNil(t, err)
	}
	sorted := func(t *testing.T, types []string) {
		t.Helper()
		if !slices.IsSortedFunc(types, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
			t.Errorf("not sorted by name in any case: %q", types)
		}
		if slices.Index(types, "aardvark appliance") > slices.Index(types, "AWS IAM") {
			t.Errorf("sorted by byte, not by name: %q", types)
		}
	}

	t.Run("a Password Administrator gets the standard types and their own, not the administrator's", func(t *testing.T) {
		types, err := w.Vault.ResourceTypes(pam)
		mustNil(t, err)
		for _, s := range vault.StandardTypes {
			if !slices.Contains(types, s) {
				t.Errorf("missing standard type %q", s)
			}
		}
		if !slices.Contains(types, "aardvark appliance") || slices.Contains(types, "Admins Only Appliance") {
			t.Errorf("types %q", types)
		}
		if len(types) != len(vault.StandardTypes)+1 {
			t.Errorf("%d types (a duplicate or a blank?): %q", len(types), types)
		}
		sorted(t, types)
	})
	t.Run("the All Passwords administrator gets every type", func(t *testing.T) {
		types, err := w.Vault.ResourceTypes(w.AdminActor)
		mustNil(t, err)
		if !slices.Contains(types, "aardvark appliance") || !slices.Contains(types, "Admins Only Appliance") ||
			len(types) != len(vault.StandardTypes)+2 {
			t.Errorf("types %q", types)
		}
		sorted(t, types)
	})
	t.Run("the standard list is not changed by a call", func(t *testing.T) {
		if slices.Contains(vault.StandardTypes, "aardvark appliance") {
			t.Fatalf("StandardTypes grew: %q", vault.StandardTypes)
		}
	})
}

func TestGeneratePasswordFollowsThePolicyAndNeverRecordsThePassword(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	svc := apiActor(t, w, "svc")
	var made []string
	for _, c := range []struct{ asked, policy string }{
		{"", "Strong"}, {"Strong", "Strong"}, {"strong", "Strong"}, {"MEDIUM", "Medium"},
		{" Medium ", "Medium"}, {"low", "Low"}, {"Low", "Low"},
	} {
		t.Run(fmt.Sprintf("policy %q makes a %s password", c.asked, c.policy), func(t *testing.T) {
			pw, err := w.Vault.GeneratePassword(svc, c.asked)
			mustNil(t, err)
			p, err := passgen.Find(c.policy)
			mustNil(t, err)
			if !p.Meets(pw) {
				t.Fatalf("%q does not meet %s", pw, c.policy)
			}
			made = append(made, pw)
			rec := latest(t, w, audit.Filter{Actor: "svc", Operation: "generate password"})
			if rec.Result != audit.Success || rec.Target != c.policy {
				t.Fatalf("record %+v", rec)
			}
		})
	}
	t.Run("an unknown policy is refused", func(t *testing.T) {
		pw, err := w.Vault.GeneratePassword(svc, "Paranoid")
		e := fieldErr(t, err, "policy")
		if pw != "" || !strings.Contains(e.Message, "Strong") {
			t.Fatalf("got %q %q", pw, e.Message)
		}
		if rec := latest(t, w, audit.Filter{Actor: "svc", Operation: "generate password"}); rec.Result == audit.Success {
			t.Fatalf("record %+v", rec)
		}
	})
	t.Run("no field of any audit record holds a generated password", func(t *testing.T) {
		p, err := w.Trail.Query(w.AdminActor, audit.Filter{}, 0, 1000)
		mustNil(t, err)
		if len(p.Records) < len(made) {
			t.Fatalf("%d records for %d passwords", len(p.Records), len(made))
		}
		for _, rec := range p.Records {
			v := reflect.ValueOf(rec)
			for i := range v.NumField() {
				text := fmt.Sprint(v.Field(i).Interface())
				for _, pw := range made {
					if strings.Contains(text, pw) {
						t.Fatalf("record %d field %s holds a generated password: %q", rec.Seq, v.Type().Field(i).Name, text)
					}
				}
			}
		}
	})
}

func TestPasswordAccessRequestsIsAnAuditedEmptyList(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	svc := apiActor(t, w, "svc")
	for _, a := range []access.Actor{svc, w.AdminActor} {
		reqs, err := w.Vault.PasswordAccessRequests(a)
		if err != nil || reqs == nil || len(reqs) != 0 {
			t.Fatalf("%s: %#v %v", a.Username, reqs, err)
		}
	}
	if rec := latest(t, w, audit.Filter{Actor: "svc", Operation: "list password access requests"}); rec.Result != audit.Success {
		t.Fatalf("record %+v", rec)
	}
}
