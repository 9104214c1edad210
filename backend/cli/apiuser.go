package cli

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/users"
)

func addAPIUser(root *cobra.Command, env *Env) {
	cmd := group(&cobra.Command{
		Use:   "apiuser",
		Short: "Add, list, show, regenerate, disable, enable and delete API users",
		Long: `API users are the machine identities of Hostbound: each is bound to one host
(hostname, IP address or CIDR) and calls the REST API with its API key. These
commands do what Users → API users does in the app, with the same rules, as
the operator given with --operator, audited with source "cli". A key is
printed once, when it is made (add, regenerate), and never again.`,
		Example: `  hostbound apiuser add deploy@web01 --host web01.example.com --full-name "Deploy on web01" --never-expires --operator admin
  hostbound apiuser list --search web --json --operator admin`,
	})
	operatorFlags(cmd)
	cmd.AddCommand(apiUserAdd(env), apiUserList(env), apiUserShow(env), apiUserRegenerate(env),
		apiUserSetDisabled(env, true), apiUserSetDisabled(env, false), apiUserDelete(env))
	root.AddCommand(cmd)
}

// scopes are --scope's values.
var scopes = map[string]access.Scope{"owned": access.ScopeOwnedShared, "owned_shared": access.ScopeOwnedShared, "all": access.ScopeAll}

func apiUserAdd(env *Env) *cobra.Command {
	var in users.APIUserInput
	var scope, expires, sshFile, certFile string
	var noREST, jsonOut bool
	cmd := &cobra.Command{
		Use:   "add USERNAME",
		Short: "Add an API user bound to one host and print its new API key once",
		Long: `Add an API user, as the Add API User form does. With the REST API on (the
default) a new API key is made and printed once: alone on stdout (the rest
goes to stderr), or, with --json, in the object's "apiKey". Store it where the
host's scripts read it; Hostbound keeps only its HMAC.

Every field is checked at once; a refusal names each bad field (exit 1).`,
		Example: `  hostbound apiuser add deploy@web01 --host web01.example.com --full-name "Deploy on web01" \
      --role "Password User" --expires 2027-12-31 --operator admin > /etc/deploy/hostbound.key
  hostbound apiuser add backup@10.0.4.0 --host 10.0.4.0/24 --full-name "Backup network" \
      --never-expires --ssh-key-file backup.pub --json --operator admin`,
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Username = args[0]
			var ok bool
			if in.Scope, ok = scopes[strings.ToLower(scope)]; !ok {
				return usagef("--scope: owned or all, not %q", scope)
			}
			in.RESTEnabled = !noREST
			if noREST && (expires != "" || in.NeverExpires) {
				return usagef("--no-rest makes no API key: --expires and --never-expires do not go with it")
			}
			if expires != "" && in.NeverExpires {
				return usagef("--expires and --never-expires: give one")
			}
			var f apperr.Form
			if expires != "" {
				if t, ok := parseExpiry(expires); ok {
					in.ExpiresAt = &t
				} else {
					f.Add("expiresAt", "Expiry date: a date (2027-12-31) or an RFC 3339 time")
				}
			}
			in.SSHPublicKey = readField(&f, sshFile, "sshPublicKey", "Public key for SSH CLI access")
			in.Certificate = readField(&f, certFile, "certificate", "SSL Certificate")
			if err := f.Err(); err != nil {
				return err
			}
			var key *apikey.Key
			if in.RESTEnabled {
				k, err := apikey.Generate()
				if err != nil {
					return err
				}
				key = &k
			}
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			u, err := s.Services.Users.CreateAPIUser(s.Actor, in, key)
			if err != nil {
				return err
			}
			s.Log.WithField("target", u.Username).Info("api user created")
			return env.printNewKey(s, u, key, jsonOut, fmt.Sprintf("Added API user %s, bound to host %s.", u.Username, u.Host))
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Host, "host", "", "the one host it may call from: hostname, IP address or CIDR (required)")
	f.StringVar(&in.FullName, "full-name", "", "full name, shown in reports and the audit trail (required)")
	f.StringVar(&in.Role, "role", access.PasswordUser, "access level: a role's id or name")
	f.StringVar(&scope, "scope", "owned", "access scope: owned (Passwords Owned and Shared) or all (All Passwords)")
	f.StringVar(&in.Email, "email", "", "email")
	f.StringVar(&in.Department, "department", "", "department")
	f.StringVar(&in.Location, "location", "", "location")
	f.StringVar(&expires, "expires", "", "the key works through this day, UTC (YYYY-MM-DD), or until an RFC 3339 time")
	f.BoolVar(&in.NeverExpires, "never-expires", false, "the key never expires")
	f.StringVar(&sshFile, "ssh-key-file", "", "file with its SSH public key (one authorized_keys line), for the SSH CLI")
	f.StringVar(&certFile, "cert-file", "", "file with its PEM X.509 client certificate")
	f.BoolVar(&noREST, "no-rest", false, "REST API off: no API key (SSH key or certificate only)")
	f.BoolVar(&jsonOut, "json", false, "print a JSON object (with the key in \"apiKey\")")
	return cmd
}

// parseExpiry reads --expires as the REST API reads EXPIRYDATE: a date
// (the key works through that day, UTC) or an RFC 3339 time.
func parseExpiry(s string) (time.Time, bool) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Add(24*time.Hour - time.Second), true
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

// readField reads an optional file flag's content into a form field.
func readField(f *apperr.Form, path, field, label string) string {
	if path == "" {
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		f.Add(field, "%s: cannot read %s (%v)", label, path, unwrapPath(err))
		return ""
	}
	return string(b)
}

// unwrapPath is err without the path it repeats.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// printNewKey prints a key made just now: alone on stdout with what to
// know on stderr, or, with --json, u as an object with the key.
func (e *Env) printNewKey(s *Session, u *users.User, key *apikey.Key, jsonOut bool, said string) error {
	if jsonOut {
		out := e.apiUserJSON(s, u)
		if key != nil {
			out.APIKey = key.String()
		}
		return e.printJSON(out)
	}
	e.Errorf("%s\n", said)
	if key == nil {
		e.Errorf("Its REST API is off: it has no API key.\n")
		return nil
	}
	e.Errorf("Its API key, shown only this once, is on stdout; Hostbound keeps only its HMAC.\n")
	e.Printf("%s\n", key)
	return nil
}

func apiUserList(env *Env) *cobra.Command {
	var search string
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API users",
		Long: `List API users by username: host, full name, access level, key status and
last use; --search keeps those whose username, host, full name, department or
location contains the text. --json prints an array of objects (never a key).`,
		Example: `  hostbound apiuser list --operator admin
  hostbound apiuser list --search 10.0.4. --json --operator admin | jq -r '.[].username'`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			var rows []*users.Row
			var roles map[string]access.Role
			for {
				p, err := s.Services.Users.List(s.Actor, users.Query{Search: search, Kind: string(users.KindAPI), Offset: len(rows), Limit: 1000})
				if err != nil {
					return err
				}
				rows, roles = append(rows, p.Rows...), p.Roles
				if len(p.Rows) == 0 || len(rows) >= p.Total {
					break
				}
			}
			now := env.clock()()
			if jsonOut {
				out := make([]apiUserJSON, 0, len(rows))
				for _, r := range rows {
					out = append(out, rowJSON(r, roles, now))
				}
				return env.printJSON(out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tHOST\tFULL NAME\tACCESS LEVEL\tKEY\tEXPIRES\tLAST USED")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Username, r.Host, r.FullName, roleName(roles, r.Role),
					r.KeyStatus(now), expiresText(r), orDash(stamp(r.LastUsedAt)))
			}
			tw.Flush()
			env.Errorf("%d API user%s\n", len(rows), plural(len(rows)))
			return nil
		},
	}
	cmd.Flags().StringVar(&search, "search", "", "only those whose username, host, full name, department or location contains this")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print a JSON array")
	return cmd
}

func apiUserShow(env *Env) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "show USERNAME",
		Short: "Show every field of an API user (never its key)",
		Example: `  hostbound apiuser show deploy@web01 --operator admin
  hostbound apiuser show deploy@web01 --json --operator admin`,
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.onAPIUser(cmd, args[0], func(s *Session, u *users.User) error {
				out := env.apiUserJSON(s, u)
				if jsonOut {
					return env.printJSON(out)
				}
				env.showAPIUser(out)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print a JSON object")
	return cmd
}

func apiUserRegenerate(env *Env) *cobra.Command {
	var grace time.Duration
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "regenerate USERNAME",
		Short: "Replace an API user's key and print the new one once",
		Long: `Make a new API key for the user and print it once (alone on stdout, or in the
--json object's "apiKey"). The old key stops working at once, or, with
--grace, at the end of that period (at most 7 days, never after its own
expiry), so that the host's scripts can switch without downtime. The expiry
date stays as it was.`,
		Example: `  hostbound apiuser regenerate deploy@web01 --operator admin > new.key
  hostbound apiuser regenerate deploy@web01 --grace 24h --operator admin`,
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, err := apikey.Generate()
			if err != nil {
				return err
			}
			return env.onAPIUser(cmd, args[0], func(s *Session, _ *users.User) error {
				u, err := s.Services.Users.RegenerateAPIKey(s.Actor, args[0], key, grace)
				if err != nil {
					return err
				}
				s.Log.WithField("target", u.Username).Info("api key regenerated")
				said := fmt.Sprintf("New API key for %s; the old one stopped working.", u.Username)
				if p := u.APIKey.Previous; p != nil {
					said = fmt.Sprintf("New API key for %s; the old one works until %s.", u.Username, stamp(&p.ValidUntil))
				}
				return env.printNewKey(s, u, &key, jsonOut, said)
			})
		},
	}
	cmd.Flags().DurationVar(&grace, "grace", 0, "keep the old key working this long (e.g. 24h; at most 168h)")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print a JSON object (with the key in \"apiKey\")")
	return cmd
}

func apiUserSetDisabled(env *Env, disabled bool) *cobra.Command {
	verb, short, done := "enable", "Enable a disabled API user: its key works again", "Enabled API user %s.\n"
	if disabled {
		verb, short, done = "disable", "Disable an API user: its key, SSH key and certificate are refused", "Disabled API user %s: its credentials are refused until it is enabled.\n"
	}
	return &cobra.Command{
		Use:     verb + " USERNAME",
		Short:   short,
		Example: "  hostbound apiuser " + verb + " deploy@web01 --operator admin",
		Args:    exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.onAPIUser(cmd, args[0], func(s *Session, _ *users.User) error {
				u, err := s.Services.Users.SetDisabled(s.Actor, args[0], disabled)
				if err != nil {
					return err
				}
				s.Log.WithField("target", u.Username).Info("api user " + verb + "d")
				env.Errorf(done, u.Username)
				return nil
			})
		},
	}
}

func apiUserDelete(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "delete USERNAME",
		Short: "Delete an API user and its key",
		Long: `Delete an API user: its key, SSH key and certificate stop working at once;
the resources it owned pass to the operator who deletes it. This cannot be
undone (disable keeps the user).`,
		Example: "  hostbound apiuser delete deploy@web01 --operator admin",
		Args:    exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.onAPIUser(cmd, args[0], func(s *Session, u *users.User) error {
				if err := s.Services.Users.Delete(s.Actor, args[0]); err != nil {
					return err
				}
				s.Log.WithField("target", u.Username).Info("api user deleted")
				env.Errorf("Deleted API user %s.\n", u.Username)
				return nil
			})
		},
	}
}

// onAPIUser opens the data directory as the operator and runs fn for the
// API user named username.
func (env *Env) onAPIUser(cmd *cobra.Command, username string, fn func(s *Session, u *users.User) error) error {
	s, err := env.Open(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := apiUser(s, username)
	if err != nil {
		return err
	}
	return fn(s, u)
}

// apiUser reads username and refuses an operator: these commands act on
// API users only.
func apiUser(s *Session, username string) (*users.User, error) {
	u, err := s.Services.Users.Get(s.Actor, username)
	if err != nil {
		return nil, err
	}
	if u.Kind != users.KindAPI {
		return nil, apperr.New(apperr.Invalid, "%s is an operator, not an API user", u.Username)
	}
	return u, nil
}

// apiUserJSON is an API user as the commands print it: never a hash.
type apiUserJSON struct {
	Username              string      `json:"username"`
	Host                  string      `json:"host"`
	FullName              string      `json:"fullName"`
	Email                 string      `json:"email"`
	Role                  string      `json:"role"`
	RoleName              string      `json:"roleName"`
	Scope                 string      `json:"scope"`
	Department            string      `json:"department"`
	Location              string      `json:"location"`
	Disabled              bool        `json:"disabled"`
	Revoked               *revocation `json:"revoked,omitempty"`
	RESTEnabled           bool        `json:"restEnabled"`
	KeyStatus             string      `json:"keyStatus"`
	KeyHint               string      `json:"keyHint,omitempty"`
	KeyCreatedAt          *time.Time  `json:"keyCreatedAt,omitempty"`
	KeyExpiresAt          *time.Time  `json:"keyExpiresAt,omitempty"`
	PreviousKeyValidUntil *time.Time  `json:"previousKeyValidUntil,omitempty"`
	LastUsedAt            *time.Time  `json:"lastUsedAt,omitempty"`
	LastUsedFrom          string      `json:"lastUsedFrom,omitempty"`
	UseCount              int64       `json:"useCount"`
	SSHKey                *sshKey     `json:"sshKey,omitempty"`
	Certificate           *cert       `json:"certificate,omitempty"`
	CreatedAt             time.Time   `json:"createdAt"`
	CreatedBy             string      `json:"createdBy,omitempty"`
	UpdatedAt             *time.Time  `json:"updatedAt,omitempty"`
	// APIKey is there only right after add or regenerate.
	APIKey string `json:"apiKey,omitempty"`
}

type revocation struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

type sshKey struct {
	Type        string `json:"type"`
	Bits        int    `json:"bits"`
	Fingerprint string `json:"fingerprint"`
	Comment     string `json:"comment,omitempty"`
}

type cert struct {
	Subject     string    `json:"subject"`
	Fingerprint string    `json:"fingerprint"`
	NotBefore   time.Time `json:"notBefore"`
	NotAfter    time.Time `json:"notAfter"`
}

func rowJSON(r *users.Row, roles map[string]access.Role, now time.Time) apiUserJSON {
	return apiUserJSON{Username: r.Username, Host: r.Host, FullName: r.FullName, Email: r.Email, Role: r.Role,
		RoleName: roleName(roles, r.Role), Scope: string(r.Scope), Department: r.Department, Location: r.Location,
		Disabled: r.Disabled, RESTEnabled: r.RESTEnabled, KeyStatus: r.KeyStatus(now), KeyHint: r.KeyHint,
		KeyCreatedAt: r.KeyCreatedAt, KeyExpiresAt: r.KeyExpiresAt, LastUsedAt: r.LastUsedAt, LastUsedFrom: r.LastUsedFrom,
		UseCount: r.UseCount, CreatedAt: r.CreatedAt}
}

func (e *Env) apiUserJSON(s *Session, u *users.User) apiUserJSON {
	roles, _ := s.Services.Users.Roles(s.Actor)
	out := rowJSON(users.RowOf(u), roles, e.clock()())
	out.CreatedBy = u.CreatedBy
	if !u.UpdatedAt.IsZero() {
		t := u.UpdatedAt
		out.UpdatedAt = &t
	}
	if r := u.Revoked; r != nil {
		out.Revoked = &revocation{At: r.At, By: r.By, Reason: r.Reason}
	}
	if k := u.APIKey; k != nil && k.Previous != nil {
		t := k.Previous.ValidUntil
		out.PreviousKeyValidUntil = &t
	}
	if k := u.SSHKey; k != nil {
		out.SSHKey = &sshKey{Type: k.Type, Bits: k.Bits, Fingerprint: k.Fingerprint, Comment: k.Comment}
	}
	if c := u.Certificate; c != nil {
		out.Certificate = &cert{Subject: c.Subject, Fingerprint: c.Fingerprint, NotBefore: c.NotBefore, NotAfter: c.NotAfter}
	}
	return out
}

// showAPIUser prints every field, labelled as the app labels them.
func (e *Env) showAPIUser(u apiUserJSON) {
	status := "enabled"
	if u.Disabled {
		status = "disabled"
	}
	if r := u.Revoked; r != nil {
		status = fmt.Sprintf("access revoked by %s at %s: %s", r.By, stamp(&r.At), r.Reason)
	}
	rest := "disabled"
	if u.RESTEnabled {
		rest = "enabled"
	}
	key := "none"
	if u.KeyHint != "" {
		key = fmt.Sprintf("%s… (%s)", u.KeyHint, u.KeyStatus)
	}
	expires := "never"
	if u.KeyExpiresAt != nil {
		expires = stamp(u.KeyExpiresAt)
	}
	lastUsed := "never"
	if u.LastUsedAt != nil {
		lastUsed = stamp(u.LastUsedAt)
		if u.LastUsedFrom != "" {
			lastUsed += " from " + u.LastUsedFrom
		}
	}
	ssh, certText := "none", "none"
	if k := u.SSHKey; k != nil {
		ssh = strings.TrimSpace(fmt.Sprintf("%s %d %s %s", k.Type, k.Bits, k.Fingerprint, k.Comment))
	}
	if c := u.Certificate; c != nil {
		certText = fmt.Sprintf("%s, %s, valid %s to %s", c.Subject, c.Fingerprint, stamp(&c.NotBefore), stamp(&c.NotAfter))
	}
	created := stamp(&u.CreatedAt)
	if u.CreatedBy != "" {
		created += " by " + u.CreatedBy
	}
	lines := [][2]string{
		{"Username", u.Username}, {"Host Name", u.Host}, {"Full Name", u.FullName}, {"Email", orDash(u.Email)},
		{"Access Level", u.RoleName}, {"Access Scope", scopeName(u.Scope)},
		{"Department", orDash(u.Department)}, {"Location", orDash(u.Location)}, {"Status", status},
		{"REST API", rest}, {"API Key", key}, {"Key Created", orDash(stamp(u.KeyCreatedAt))}, {"Key Expires", expires},
	}
	if u.PreviousKeyValidUntil != nil {
		lines = append(lines, [2]string{"Previous Key", "works until " + stamp(u.PreviousKeyValidUntil)})
	}
	lines = append(lines, [][2]string{
		{"Last Used", lastUsed}, {"Use Count", fmt.Sprint(u.UseCount)},
		{"SSH Public Key", ssh}, {"SSL Certificate", certText},
		{"Created", created}, {"Updated", orDash(stamp(u.UpdatedAt))},
	}...)
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
	for _, l := range lines {
		fmt.Fprintf(tw, "%s:\t%s\n", l[0], l[1])
	}
	tw.Flush()
}

func roleName(roles map[string]access.Role, id string) string {
	if r, ok := roles[id]; ok && r.Name != "" {
		return r.Name
	}
	if r, ok := access.BuiltIn(id); ok {
		return r.Name
	}
	return id
}

func scopeName(s string) string {
	if access.Scope(s) == access.ScopeAll {
		return "All Passwords"
	}
	return "Passwords Owned and Shared"
}

func expiresText(r *users.Row) string {
	switch {
	case !r.RESTEnabled || r.KeyHint == "":
		return "-"
	case r.KeyExpiresAt == nil:
		return "never"
	}
	return r.KeyExpiresAt.UTC().Format(time.DateOnly)
}

// stamp is t for people, in UTC; "" for nil.
func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
