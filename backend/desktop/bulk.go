package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/onboard"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

// BulkProgressEvent is the Wails event CreateBulkAPIUsers sends after each
// batch, with a users.BulkProgress.
const BulkProgressEvent = "bulk-create-progress"

// Dialogs are the native file dialogs Add API Users in Bulk asks for the
// key file and the sealed keys' directory with. Each returns "" when the
// operator cancels.
type Dialogs interface {
	SaveFile(title, defaultName string) (string, error)
	ChooseDirectory(title string) (string, error)
}

// WailsDialogs are the window's own dialogs; ctx returns the context Wails
// started the app with (nil before startup).
func WailsDialogs(ctx func() context.Context) Dialogs { return wailsDialogs{ctx} }

type wailsDialogs struct{ ctx func() context.Context }

func (d wailsDialogs) SaveFile(title, name string) (string, error) {
	return runtime.SaveFileDialog(d.ctx(), runtime.SaveDialogOptions{Title: title, DefaultFilename: name,
		CanCreateDirectories: true, Filters: []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}}})
}

func (d wailsDialogs) ChooseDirectory(title string) (string, error) {
	return runtime.OpenDirectoryDialog(d.ctx(), runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// Bulk is bound to the frontend: Users → Add User → Add API Users in Bulk.
// It parses the pasted host list or the opened CSV file, previews every row
// with the domain's validation, and runs the creation outside the session
// lock (progress as BulkProgressEvent events, CancelBulkCreate stops it
// after the current batch). The keys go straight from the domain into the
// key file and the sealed files; the frontend never receives one.
type Bulk struct {
	s       *Session
	dialogs Dialogs

	mu     sync.Mutex
	cancel context.CancelFunc // the running creation's; nil when none runs
}

// NewBulk returns the Bulk facade over a session.
func NewBulk(s *Session, d Dialogs) *Bulk { return &Bulk{s: s, dialogs: d} }

// BulkCommon are the fields set once for all rows (a row's own cell
// overrides them). ExpiresAt is RFC 3339.
type BulkCommon struct {
	Prefix       string `json:"prefix"`
	Role         string `json:"role"`
	Scope        string `json:"scope"`
	RESTEnabled  bool   `json:"restEnabled"`
	NeverExpires bool   `json:"neverExpires"`
	ExpiresAt    string `json:"expiresAt"`
}

// BulkRequest is the rows of a run, as parsed (and fixed in the preview),
// and its common fields.
type BulkRequest struct {
	Rows   []onboard.Row `json:"rows"`
	Common BulkCommon    `json:"common"`
}

// BulkRowView is one row of the preview: the Username and Full Name it
// gets, and every field error (the fields of the Add API User form:
// username, host, fullName, role, scope, sshPublicKey, expiresAt,
// department, location).
type BulkRowView struct {
	Line     int                 `json:"line"`
	Username string              `json:"username"`
	FullName string              `json:"fullName"`
	Sealable bool                `json:"sealable"` // its SSH key can seal its API key (ed25519, RSA)
	Errors   []apperr.FieldError `json:"errors"`
}

// BulkPreview is the validation of every row.
type BulkPreview struct {
	Rows []BulkRowView `json:"rows"`
	Bad  int           `json:"bad"`
}

// BulkCreateRequest is a run to create. KeyFile is where the CSV of keys
// goes (required with the REST API on); SealDir, when set, gets one
// age-sealed file per row with an ed25519 or RSA SSH key, and those keys
// stay out of the CSV.
type BulkCreateRequest struct {
	Rows    []onboard.Row `json:"rows"`
	Common  BulkCommon    `json:"common"`
	SkipBad bool          `json:"skipBad"`
	KeyFile string        `json:"keyFile"`
	SealDir string        `json:"sealDir"`
}

// BulkResult says what a run did; Message is the sentence to show.
type BulkResult struct {
	Total     int    `json:"total"`
	Created   int    `json:"created"`
	Skipped   int    `json:"skipped"`
	InKeyFile int    `json:"inKeyFile"`
	Sealed    int    `json:"sealed"`
	Cancelled bool   `json:"cancelled"`
	KeyFile   string `json:"keyFile"`
	SealDir   string `json:"sealDir"`
	Message   string `json:"message"`
}

// ParseBulkHosts reads a pasted host list, one host a line.
func (b *Bulk) ParseBulkHosts(text string) ([]onboard.Row, error) {
	var rows []onboard.Row
	err := b.s.run("parse host list", func(access.Actor, *services.Services) error {
		var err error
		rows, err = onboard.ParseHosts(text)
		return parseError("The host list", err)
	})
	return rows, err
}

// ParseBulkCSV reads an opened CSV file (its text).
func (b *Bulk) ParseBulkCSV(text string) ([]onboard.Row, error) {
	var rows []onboard.Row
	err := b.s.run("parse csv", func(access.Actor, *services.Services) error {
		var err error
		rows, err = onboard.ParseCSV(strings.NewReader(text))
		return parseError("The CSV file", err)
	})
	return rows, err
}

func parseError(what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, onboard.ErrEmpty):
		return apperr.New(apperr.Invalid, "%s holds no row", what)
	case errors.Is(err, onboard.ErrUnknownColumn), errors.Is(err, onboard.ErrDuplicateColumn), errors.Is(err, onboard.ErrNoHostColumn),
		errors.Is(err, onboard.ErrMalformed), errors.Is(err, onboard.ErrTooManyRows):
		return apperr.Wrap(apperr.Invalid, err, "%s cannot be read: %s", what, err)
	}
	return err
}

// CheckBulkAPIUsers validates every row; nothing is written.
func (b *Bulk) CheckBulkAPIUsers(req BulkRequest) (BulkPreview, error) {
	var out BulkPreview
	err := b.s.run("check bulk api users", func(a access.Actor, svc *services.Services) error {
		d, err := b.defaults(req.Common)
		if err != nil {
			return err
		}
		checks, err := svc.Users.CheckBulk(a, req.Rows, d)
		if err != nil {
			return err
		}
		out.Rows = make([]BulkRowView, len(checks))
		for i, c := range checks {
			v := BulkRowView{Line: req.Rows[i].Line, Username: c.Input.Username, FullName: c.Input.FullName,
				Errors: c.Errors}
			if c.Input.SSHPublicKey != "" {
				v.Sealable = onboard.Sealable(c.Input.SSHPublicKey)
			}
			if len(c.Errors) > 0 {
				out.Bad++
			}
			out.Rows[i] = v
		}
		return nil
	})
	return out, err
}

func (b *Bulk) defaults(c BulkCommon) (users.BulkDefaults, error) {
	d := users.BulkDefaults{Prefix: c.Prefix, Role: c.Role, Scope: access.Scope(c.Scope), RESTEnabled: c.RESTEnabled,
		NeverExpires: c.NeverExpires, Zone: time.Local}
	if c.RESTEnabled && !c.NeverExpires && c.ExpiresAt != "" {
		t, err := time.Parse(time.RFC3339, c.ExpiresAt)
		if err != nil {
			return d, apperr.Field("expiresAt", "Expiry date: not a date")
		}
		d.ExpiresAt = &t
	}
	return d, nil
}

// ChooseKeyFile asks where to save the key file ("" when cancelled).
func (b *Bulk) ChooseKeyFile() (string, error) {
	var path string
	err := b.s.run("choose key file", func(access.Actor, *services.Services) error {
		var err error
		path, err = b.dialogs.SaveFile("Save the API keys", fmt.Sprintf("hostbound-api-keys-%s.csv", b.s.cfg.Clock().Format("20060102-150405")))
		return err
	})
	return path, err
}

// ChooseSealDirectory asks for the directory of the sealed key files ("" when
// cancelled).
func (b *Bulk) ChooseSealDirectory() (string, error) {
	var path string
	err := b.s.run("choose sealed keys directory", func(access.Actor, *services.Services) error {
		var err error
		path, err = b.dialogs.ChooseDirectory("Directory for the sealed key files")
		return err
	})
	return path, err
}

// CancelBulkCreate stops the running creation after its current batch.
func (b *Bulk) CancelBulkCreate() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cancel != nil {
		b.cancel()
	}
}

// CreateBulkAPIUsers creates the run's API users (see users.CreateBulk) and
// writes their keys, batch by batch, to the key file (mode 0600) and the
// sealed files. It answers when the run ends: done, cancelled (the result
// says how many were created) or refused.
func (b *Bulk) CreateBulkAPIUsers(req BulkCreateRequest) (BulkResult, error) {
	const op = "create api users in bulk"
	var actor access.Actor
	var svc *services.Services
	if err := b.s.run(op, func(a access.Actor, s *services.Services) error { actor, svc = a, s; return nil }); err != nil {
		return BulkResult{}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.mu.Lock()
	if b.cancel != nil {
		b.mu.Unlock()
		return BulkResult{}, b.fail(op, apperr.New(apperr.Conflict, "A bulk creation is already running"))
	}
	b.cancel = cancel
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.cancel = nil
		b.mu.Unlock()
	}()
	res, err := b.create(ctx, actor, svc, req)
	if err != nil {
		return res, b.fail(op, err)
	}
	b.s.log.WithField("op", op).WithField("created", res.Created).WithField("skipped", res.Skipped).
		WithField("cancelled", res.Cancelled).Info(res.Message)
	return res, nil
}

func (b *Bulk) fail(op string, err error) error {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	return b.s.fail(op, err)
}

func (b *Bulk) create(ctx context.Context, actor access.Actor, svc *services.Services, req BulkCreateRequest) (BulkResult, error) {
	res := BulkResult{KeyFile: req.KeyFile, SealDir: req.SealDir}
	d, err := b.defaults(req.Common)
	if err != nil {
		return res, err
	}
	if err := checkDelivery(req); err != nil {
		return res, err
	}
	var kf *onboard.KeyFile
	if req.Common.RESTEnabled {
		// Opened before anything is created: a key file that cannot be
		// written refuses the run, not its second batch.
		if kf, err = onboard.CreateKeyFile(req.KeyFile); err != nil {
			return res, apperr.Wrap(apperr.Invalid, err, "Key file: cannot write %s", req.KeyFile)
		}
	}
	deliver := func(p users.BulkProgress, keys []onboard.Issued) error {
		var plain []onboard.Issued
		for _, it := range keys {
			if req.SealDir != "" && it.SSHPublicKey != "" && onboard.Sealable(it.SSHPublicKey) {
				if _, err := onboard.WriteSealed(req.SealDir, it); err != nil {
					return fmt.Errorf("seal the key of %s: %w", it.Username, err)
				}
				res.Sealed++
				continue
			}
			plain = append(plain, it)
		}
		if kf != nil {
			if err := kf.Write(plain); err != nil {
				return fmt.Errorf("write the key file: %w", err)
			}
			res.InKeyFile = kf.Rows()
		}
		b.s.emit(BulkProgressEvent, p)
		return nil
	}
	out, err := svc.Users.CreateBulk(ctx, actor, req.Rows, d, users.BulkOptions{SkipBad: req.SkipBad, Deliver: deliver})
	res.Total, res.Created, res.Skipped = out.Total, out.Created, out.Skipped
	if kf != nil {
		if cerr := kf.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close the key file: %w", cerr)
		}
		if res.Created == 0 {
			// Nothing was created: no key file either.
			os.Remove(req.KeyFile)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		res.Cancelled = true
		res.Message = fmt.Sprintf("Cancelled: %d of %d API users were created.", res.Created, res.Total)
		return res, nil
	case err != nil && res.Created > 0 && apperr.As(err) == nil:
		// Users exist whose keys may not have reached their file; the
		// operator must read how many (an Internal error would hide it).
		return res, apperr.Wrap(apperr.Conflict, err,
			"%d API users were created, but writing their keys failed after the last of them: regenerate the keys of those missing from the files", res.Created)
	case err != nil && res.Created > 0:
		return res, apperr.Wrap(apperr.CodeOf(err), err, "%d of %d API users were created, then: %s", res.Created, res.Total, apperr.As(err).Message)
	case err != nil:
		return res, err
	}
	res.Message = fmt.Sprintf("%d API users were created.", res.Created)
	if res.Skipped > 0 {
		res.Message += fmt.Sprintf(" %d bad rows were skipped.", res.Skipped)
	}
	return res, nil
}

// checkDelivery refuses a run whose keys would have nowhere to go.
func checkDelivery(req BulkCreateRequest) error {
	var f apperr.Form
	if req.Common.RESTEnabled {
		switch {
		case strings.TrimSpace(req.KeyFile) == "":
			f.Add("keyFile", "Key file: choose where to save the keys")
		case !filepath.IsAbs(req.KeyFile):
			f.Add("keyFile", "Key file: a full path")
		}
	}
	if req.SealDir != "" {
		if fi, err := os.Stat(req.SealDir); err != nil || !fi.IsDir() {
			f.Add("sealDir", "Directory for sealed keys: not a directory")
		}
	}
	return f.Err()
}
