// Command benchsetup makes a fresh data directory for `make bench-rest`
// (tools/bench-rest.sh), as the desktop app's setup would: a master key
// wrapped with a random passphrase (written to a file for `hostbound serve
// --passphrase-file`), the first administrator, one API user bound to
// 127.0.0.1 with a key, one resource with one account shared (view) with
// it, and -users minus one more API users (created in the bulk path's
// batches) so that the store holds as many API users as a large site.
//
//	benchsetup -dir D -users N -out setup.json
//
// Everything a bench needs to call the API is in setup.json (0600): the
// key, the resource's and account's names and ids, the password's URL path,
// the passphrase file. The key is never printed.
//
// tools/ is its own Go module (the wails tool), so this program is built
// from the repository root by its file names:
//
//	go build -o /tmp/benchsetup ./tools/benchsetup/main.go
package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/core"
	"hostbound/backend/masterkey"
	"hostbound/backend/restapi"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Setup is setup.json.
type Setup struct {
	DataDir        string `json:"dataDir"`
	PassphraseFile string `json:"passphraseFile"`
	User           string `json:"user"`
	Key            string `json:"key"`
	Users          int    `json:"users"` // API users in the store, User included
	ResourceName   string `json:"resourceName"`
	ResourceID     uint64 `json:"resourceId"`
	AccountName    string `json:"accountName"`
	AccountID      uint64 `json:"accountId"`
	// PasswordPath is GET PASSWORD's path for the account (after host:port).
	PasswordPath string `json:"passwordPath"`
}

const (
	benchUser    = "bench@localhost"
	adminName    = "admin"
	resourceName = "benchdb"
	accountName  = "app"
	maxUsers     = 1_000_000
)

func main() {
	dir := flag.String("dir", "", "data directory to create (must not exist, or be empty)")
	n := flag.Int("users", 1, "API users in the store, the bench's own included (1 to 1,000,000)")
	out := flag.String("out", "setup.json", "file to write the setup to (mode 0600; holds the API key)")
	pass := flag.String("passphrase-file", "", "file to write the unlock passphrase to (default: DIR.passphrase)")
	storeURL := flag.String("store", "", "an empty PostgreSQL database to hold the data, postgres://… (default: DIR's own store)")
	flag.Parse()
	if err := run(*dir, *storeURL, *n, *out, *pass, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchsetup:", err)
		os.Exit(2)
	}
}

func run(dir, storeURL string, n int, out, passFile string, progress io.Writer) error {
	switch {
	case dir == "":
		return errors.New("-dir: required, the data directory to create")
	case n < 1 || n > maxUsers:
		return fmt.Errorf("-users: %d is out of range, want 1 to %d", n, maxUsers)
	case out == "":
		return errors.New("-out: required, the file to write the setup to")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("-dir: %w", err)
	}
	if passFile == "" {
		passFile = dir + ".passphrase"
	}
	if passFile, err = filepath.Abs(passFile); err != nil {
		return fmt.Errorf("-passphrase-file: %w", err)
	}
	if err := freshDir(dir); err != nil {
		return err
	}
	start := time.Now()
	passphrase := randomText(32)
	if err := os.WriteFile(passFile, []byte(passphrase+"\n"), 0o600); err != nil {
		return fmt.Errorf("-passphrase-file: %w", err)
	}
	key, err := masterkey.New(dir, masterkey.NewMemoryKeyring()).CreateWithPassphrase(passphrase)
	if err != nil {
		return fmt.Errorf("create the master key: %w", err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	var st *store.Store
	if storeURL != "" {
		st, err = store.OpenPostgres(storeURL, key, log)
	} else {
		st, err = store.Open(core.StoreDir(dir), key, log)
	}
	if err != nil {
		return fmt.Errorf("open the store: %w", err)
	}
	svc, err := services.New(st, key, services.Config{Clock: time.Now, Hasher: users.DefaultHasher, Resolver: net.DefaultResolver})
	if err != nil {
		st.Close()
		return fmt.Errorf("open the store: %w", err)
	}
	s, err := populate(svc, n, progress)
	svc.Close()
	if cerr := st.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the store: %w", cerr)
	}
	if err != nil {
		return err
	}
	s.DataDir, s.PassphraseFile = dir, passFile
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := writePrivate(out, append(b, '\n')); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	fmt.Fprintf(progress, "benchsetup: %s: %d API users, setup in %s (%.1fs)\n", dir, n, out, time.Since(start).Seconds())
	return nil
}

// populate creates the administrator, the API users, the resource, the
// account and the share.
func populate(svc *services.Services, n int, progress io.Writer) (Setup, error) {
	var s Setup
	adminPass := randomText(24)
	admin, err := svc.Users.CreateFirstAdministrator(users.NewOperator{Username: adminName, FullName: "Bench Admin",
		Password: adminPass, ConfirmPassword: adminPass}, access.SourceDesktop)
	if err != nil {
		return s, fmt.Errorf("create the administrator: %w", err)
	}
	a := users.ActorOf(admin, access.SourceDesktop)

	// The bench's user first, then the others in batches of a few
	// thousand (each call commits users.BulkBatch per transaction).
	const chunk = 10 * users.BulkBatch
	ins := make([]users.APIUserInput, 0, min(n, chunk))
	keys := make([]apikey.Key, 0, min(n, chunk))
	for i := 0; i < n; {
		ins, keys = ins[:0], keys[:0]
		for ; i < n && len(ins) < chunk; i++ {
			name := benchUser
			if i > 0 {
				name = fmt.Sprintf("bench%07d@localhost", i)
			}
			k, err := apikey.Generate()
			if err != nil {
				return s, err
			}
			if i == 0 {
				s.User, s.Key = name, k.String()
			}
			ins = append(ins, users.APIUserInput{Username: name, Host: "127.0.0.1", FullName: "Bench " + name,
				Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true})
			keys = append(keys, k)
		}
		if _, err := svc.Users.CreateAPIUsers(a, ins, keys); err != nil {
			return s, fmt.Errorf("create API users: %w", err)
		}
		if n > chunk {
			fmt.Fprintf(progress, "benchsetup: %d of %d API users\n", i, n)
		}
	}
	s.Users = n

	res, err := svc.Vault.CreateResource(a, vault.ResourceInput{Name: resourceName, DNSName: "benchdb.example.com", Type: "PostgreSQL"})
	if err != nil {
		return s, fmt.Errorf("create the resource: %w", err)
	}
	acct, err := svc.Vault.CreateAccount(a, res.ID, vault.AccountInput{Name: accountName, Password: randomText(24)})
	if err != nil {
		return s, fmt.Errorf("create the account: %w", err)
	}
	if err := svc.Vault.Share(a, vault.ShareInput{ResourceID: res.ID, Grantee: s.User, Permission: vault.View}); err != nil {
		return s, fmt.Errorf("share the resource: %w", err)
	}
	s.ResourceName, s.ResourceID, s.AccountName, s.AccountID = res.Name, res.ID, acct.Name, acct.ID
	s.PasswordPath = fmt.Sprintf("%s/resources/%d/accounts/%d/password", restapi.Base, res.ID, acct.ID)
	return s, nil
}

// freshDir creates dir (0700), or accepts an empty one: a bench starts on
// a store of its own.
func freshDir(dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("-dir: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("-dir: %w", err)
	case len(ents) > 0:
		return fmt.Errorf("-dir: %s is not empty; give a new directory", dir)
	}
	return nil
}

// writePrivate writes data to path with mode 0600 (also when path exists).
func writePrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// randomText is n letters and digits from crypto/rand.
func randomText(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
