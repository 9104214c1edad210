package sample

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/passgen"
	"hostbound/backend/services"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// AdminUsername is the sample's administrator, whom the evaluator is
// logged in as. Its password is random and thrown away.
const AdminUsername = "admin"

// Days is how far back the sample's history goes.
const Days = 7

// resource is a sample resource with its accounts.
type resource struct {
	name, dns, typ, desc string
	accounts             []string
}

var resources = []resource{
	{"Payroll DB", "db01.example.com", "PostgreSQL", "Payroll database (primary)", []string{"postgres", "payroll_app"}},
	{"Web frontend", "web01.example.com", "Linux", "Public web servers behind the load balancer", []string{"root", "deploy"}},
	{"Core switch", "sw-core.example.com", "Cisco IOS", "Data centre core switch", []string{"admin"}},
	{"Backup server", "backup.example.com", "Linux", "Nightly backups", []string{"root", "bacula"}},
	{"Directory", "dc01.example.com", "Windows", "Domain controller", []string{"Administrator", "svc_ldap"}},
}

// reasonRequired is the account whose retrieval must give a reason.
const reasonRequired = "Directory/Administrator"

// apiUser is a sample API user; expires is how long after seeding its key
// expires (0: never; negative: it has expired).
type apiUser struct {
	name, host, fullName string
	expires              time.Duration
	shares               map[string]vault.Permission // resource name -> permission
}

const day = 24 * time.Hour

var apiUsers = []apiUser{
	{"ci-runner", "build01.example.com", "CI runner (build01)", 80 * day, map[string]vault.Permission{"Web frontend": vault.View}},
	{"deploy-bot", "192.0.2.21", "Deployment bot", 60 * day, map[string]vault.Permission{"Web frontend": vault.Modify, "Payroll DB": vault.View}},
	{"backup-agent", "198.51.100.7", "Backup agent", 5*day + 12*time.Hour, map[string]vault.Permission{"Backup server": vault.View}},
	{"monitoring", "mon01.example.com", "Monitoring (mon01)", 0, map[string]vault.Permission{"Core switch": vault.View}},
	{"ansible", "198.51.100.20", "Ansible control node", 90 * day, map[string]vault.Permission{"Directory": vault.View, "Web frontend": vault.View}},
	{"terraform", "tf.example.com", "Terraform runner", 30 * day, map[string]vault.Permission{"Web frontend": vault.Modify}},
	{"legacy-script", "192.0.2.99", "Legacy export script", -2 * day, map[string]vault.Permission{"Payroll DB": vault.View}},
	{"old-reporting", "198.51.100.45", "Old reporting job", 45 * day, map[string]vault.Permission{"Payroll DB": vault.View}},
}

// disabledUser is switched off by the administrator during the week.
const (
	disabledUser = "old-reporting"
	disabledAgo  = 3*day + 5*time.Hour
)

// call is one password retrieval by an API user: its key from an address,
// ago before the seeding.
type call struct {
	ago    time.Duration
	user   string
	from   string // "" : the user's own host
	target string // "resource/account"
}

// schedule is the week of API calls, day by day. Those of the expired and
// the disabled user are refused once that happened; a few come from the
// wrong host.
func schedule() []call {
	var out []call
	at := func(d int, h, m int) time.Duration {
		return time.Duration(d)*day + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	}
	for d := Days - 1; d >= 0; d-- {
		out = append(out,
			call{at(d, 3, 10), "ci-runner", "", "Web frontend/deploy"},
			call{at(d, 15, 40), "ci-runner", "", "Web frontend/deploy"},
			call{at(d, 6, 5), "deploy-bot", "", "Payroll DB/payroll_app"},
			call{at(d, 6, 7), "deploy-bot", "", "Web frontend/deploy"},
			call{at(d, 20, 30), "backup-agent", "", "Backup server/bacula"},
			call{at(d, 1, 15), "monitoring", "", "Core switch/admin"},
			call{at(d, 13, 15), "monitoring", "", "Core switch/admin"},
			call{at(d, 4, 45), "legacy-script", "", "Payroll DB/postgres"},
			call{at(d, 7, 50), "old-reporting", "", "Payroll DB/payroll_app"},
		)
		if d%2 == 0 {
			out = append(out, call{at(d, 9, 20), "ansible", "", "Directory/svc_ldap"})
		}
		if d%3 == 1 {
			out = append(out, call{at(d, 11, 0), "terraform", "", "Web frontend/root"})
		}
	}
	return append(out,
		call{at(4, 22, 0), "deploy-bot", "203.0.113.50", "Payroll DB/payroll_app"},
		call{at(1, 2, 0), "ci-runner", "192.0.2.200", "Web frontend/deploy"},
		call{at(0, 2, 30), "monitoring", "198.51.100.99", "Core switch/admin"},
	)
}

// reveal is the administrator looking at a password in the desktop app.
type reveal struct {
	ago            time.Duration
	target, reason string
}

var reveals = []reveal{
	{5*day + 10*time.Hour, reasonRequired, "Quarterly access review"},
	{2*day + 16*time.Hour, "Core switch/admin", ""},
}

type ref struct{ rid, aid uint64 }

type seeder struct {
	svc   *services.Services
	clk   *Clock
	now   time.Time
	admin access.Actor
	keys  map[string]apikey.Key
	hosts map[string]string
	accts map[string]ref
	rids  map[string]uint64
}

// Seed fills the fresh store of svc with the sample: the administrator,
// resources with accounts (random passwords), API users bound to example
// hosts with keys active, expiring in 5 days, expired and disabled, shares,
// and a week of password retrievals with a few refusals (wrong host,
// expired key, disabled user). clk is the services' clock: Seed sets it
// back to date each step, and leaves it following the real time.
func Seed(svc *services.Services, clk *Clock) error {
	clk.Release()
	s := &seeder{svc: svc, clk: clk, now: clk.Now(), keys: map[string]apikey.Key{}, hosts: map[string]string{},
		accts: map[string]ref{}, rids: map[string]uint64{}}
	defer clk.Release()
	if err := s.setup(); err != nil {
		return err
	}
	type event struct {
		ago time.Duration
		do  func() error
	}
	var events []event
	for _, c := range schedule() {
		events = append(events, event{c.ago, func() error { return s.call(c) }})
	}
	for _, r := range reveals {
		events = append(events, event{r.ago, func() error { return s.reveal(r) }})
	}
	events = append(events, event{disabledAgo, func() error {
		_, err := svc.Users.SetDisabled(s.admin, disabledUser, true)
		return err
	}})
	// Oldest first: the trail is written in time order.
	slices.SortStableFunc(events, func(a, b event) int { return cmp.Compare(b.ago, a.ago) })
	for _, e := range events {
		s.at(e.ago)
		if err := e.do(); err != nil {
			return err
		}
	}
	svc.Guard.Flush()
	return nil
}

// at sets the clock to ago before the seeding.
func (s *seeder) at(ago time.Duration) { s.clk.Set(s.now.Add(-ago)) }

// setup makes the administrator, the resources, the API users and the
// shares, a week and a few hours ago, a minute apart.
func (s *seeder) setup() error {
	ago := Days*day + 3*time.Hour
	tick := func() {
		s.at(ago)
		ago -= time.Minute
	}
	tick()
	pw := rand.Text()
	admin, err := s.svc.Users.CreateFirstAdministrator(users.NewOperator{Username: AdminUsername, FullName: "Sample Administrator",
		Email: "admin@example.com", Password: pw, ConfirmPassword: pw}, access.SourceDesktop)
	if err != nil {
		return fmt.Errorf("create the administrator: %w", err)
	}
	s.admin = users.ActorOf(admin, access.SourceDesktop)
	policy, err := passgen.Find("")
	if err != nil {
		return err
	}
	for _, r := range resources {
		tick()
		res, err := s.svc.Vault.CreateResource(s.admin, vault.ResourceInput{Name: r.name, DNSName: r.dns, Type: r.typ, Description: r.desc,
			Department: "IT Operations", Location: "Sample data centre"})
		if err != nil {
			return fmt.Errorf("create resource %q: %w", r.name, err)
		}
		s.rids[r.name] = res.ID
		for _, name := range r.accounts {
			target := r.name + "/" + name
			a, err := s.svc.Vault.CreateAccount(s.admin, res.ID, vault.AccountInput{Name: name, Password: policy.Generate(),
				ReasonRequired: target == reasonRequired})
			if err != nil {
				return fmt.Errorf("create account %q: %w", target, err)
			}
			s.accts[target] = ref{res.ID, a.ID}
		}
	}
	for _, u := range apiUsers {
		tick()
		key, err := apikey.Generate()
		if err != nil {
			return err
		}
		in := users.APIUserInput{Username: u.name, Host: u.host, FullName: u.fullName, Email: u.name + "@example.com",
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: u.expires == 0,
			Department: "IT Operations"}
		if u.expires != 0 {
			exp := s.now.Add(u.expires)
			in.ExpiresAt = &exp
		}
		if _, err := s.svc.Users.CreateAPIUser(s.admin, in, &key); err != nil {
			return fmt.Errorf("create API user %q: %w", u.name, err)
		}
		s.keys[u.name], s.hosts[u.name] = key, u.host
		for _, rname := range slices.Sorted(maps.Keys(u.shares)) {
			if err := s.svc.Vault.Share(s.admin, vault.ShareInput{ResourceID: s.rids[rname], Grantee: u.name, Permission: u.shares[rname]}); err != nil {
				return fmt.Errorf("share %q with %q: %w", rname, u.name, err)
			}
		}
	}
	return nil
}

// call is an API user retrieving a password as the REST API would: the
// key is authenticated from the source address (a refusal is recorded by
// the authentication guard), then the password is revealed and audited.
func (s *seeder) call(c call) error {
	from := c.from
	if from == "" {
		from = s.hosts[c.user]
		if a, ok := DNS[from]; ok {
			from = a[0].String()
		}
	}
	src, err := netip.ParseAddr(from)
	if err != nil {
		return fmt.Errorf("sample call from %q: %w", from, err)
	}
	key := s.keys[c.user]
	actor, err := s.svc.Users.AuthenticateKey(context.Background(), users.KeyRequest{Key: key.String(), Source: src,
		Operation: "reveal password", Target: c.target}, s.clk.Now())
	if err != nil {
		if e := apperr.As(err); e != nil && e.Code != apperr.Internal {
			return nil // refused, and recorded as such
		}
		return fmt.Errorf("sample call by %q: %w", c.user, err)
	}
	r := s.accts[c.target]
	if _, err := s.svc.Vault.RevealPassword(actor, r.rid, r.aid, vault.Purpose{}); err != nil {
		return fmt.Errorf("sample retrieval of %q by %q: %w", c.target, c.user, err)
	}
	return nil
}

// reveal is the administrator showing a password in the desktop app.
func (s *seeder) reveal(r reveal) error {
	a := s.accts[r.target]
	if _, err := s.svc.Vault.RevealPassword(s.admin, a.rid, a.aid, vault.Purpose{Reason: r.reason}); err != nil {
		return fmt.Errorf("sample reveal of %q: %w", r.target, err)
	}
	return nil
}
