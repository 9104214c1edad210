package users

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/onboard"
	"hostbound/backend/store"
)

// bulkBatch users commit together: Badger caps a transaction's size, and a
// few hundred users with their audit records stay well under it.
const bulkBatch = 200

// BulkBatch is how many users one transaction of a bulk run creates.
const BulkBatch = bulkBatch

// CreateAPIUsers creates many API users (bulk onboarding: one per host),
// keys[i] for ins[i]. Each batch of users commits with its audit records,
// one per user; the first refused user stops the run, is audited as
// refused, and the error names its line (1-based). It returns how many
// were created.
func (s *Service) CreateAPIUsers(a access.Actor, ins []APIUserInput, keys []apikey.Key) (int, error) {
	if len(ins) != len(keys) {
		return 0, fmt.Errorf("bulk create: %d users but %d keys", len(ins), len(keys))
	}
	return s.createBatches(context.Background(), a, ins, keys, nil)
}

// BulkRowCheck is one row of a bulk run as it would be created: the input
// the row and the run's defaults make, and every field error of it (none
// for a good row).
type BulkRowCheck struct {
	Input  APIUserInput
	Errors []apperr.FieldError
}

// CheckBulk validates every row of a bulk run without writing anything: the
// rules and messages of the Add API User form (APIUserInput.validate, the
// grant rules, "Username already exists"), a cell that cannot be read
// (Expiry Date), and a username that an earlier row of the list already
// has. It returns one check per row, in order.
func (s *Service) CheckBulk(a access.Actor, rows []onboard.Row, d BulkDefaults) ([]BulkRowCheck, error) {
	ins, cellErrs := BulkInputs(rows, d)
	out := make([]BulkRowCheck, len(ins))
	err := s.st.View(func(tx *store.Txn) error {
		p, err := s.Resolve(tx, a)
		if err != nil {
			return err
		}
		if err := mayManage(p, KindAPI); err != nil {
			return err
		}
		c := checker{s: s, tx: tx, p: p, now: s.clock().UTC(), roles: map[string]string{}, grants: map[grant]error{},
			first: make(map[string]int, len(ins))}
		for i := range ins {
			var f apperr.Form
			for _, e := range cellErrs[i] {
				f.Add(e.Field, "%s", e.Message)
			}
			if err := c.check(&f, &ins[i], rows[i].Line); err != nil {
				return err
			}
			out[i].Input = ins[i]
			if e := apperr.As(f.Err()); e != nil {
				out[i].Errors = e.Fields
			}
		}
		return nil
	})
	return out, err
}

type grant struct{ role, scope string }

// checker validates the rows of one bulk run in one read transaction; roles
// by name and grant decisions repeat across rows and are looked up once.
type checker struct {
	s      *Service
	tx     *store.Txn
	p      access.Principal
	now    time.Time
	roles  map[string]string // Access Level cell → role id
	grants map[grant]error
	first  map[string]int // lower-case username → line of the first row with it
}

// check adds every field error of in to f, as createAPIUserIn would refuse
// it (field errors first, then the username's and the grant's), all at
// once. in.Role becomes the role's id. line is the row's, for duplicates.
func (c *checker) check(f *apperr.Form, in *APIUserInput, line int) error {
	if id, ok := c.roles[in.Role]; ok {
		in.Role = id
	} else {
		name := in.Role
		if id, ok := roleIDOf(c.tx, in.Role); ok {
			in.Role = id
		}
		c.roles[name] = in.Role
	}
	_, _, cert := in.validate(f, true, c.now, nil)
	c.s.certFree(f, cert, in.Username)
	if ValidateUsername(in.Username) == nil {
		low := strings.ToLower(in.Username)
		if l, dup := c.first[low]; dup {
			f.Add("username", "Username: already used on line %d of this list", l)
		} else {
			c.first[low] = line
			if err := fieldOnly(f, usernameFree(c.tx, in.Username)); err != nil {
				return err
			}
		}
	}
	if in.Role != "" {
		g := grant{in.Role, string(in.Scope)}
		err, seen := c.grants[g]
		if !seen {
			err = c.s.checkGrant(c.tx, c.p, nil, in.Role, in.Scope)
			c.grants[g] = err
		}
		if err := fieldOnly(f, err); err != nil {
			return err
		}
	}
	return nil
}

// fieldOnly adds a field error to f and returns any other error.
func fieldOnly(f *apperr.Form, err error) error {
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid && e.Field != "" {
		f.Check(err)
		return nil
	}
	return err
}

// BulkOptions say how CreateBulk treats bad rows and where the keys go.
type BulkOptions struct {
	// SkipBad creates the good rows and leaves out the bad ones. Without
	// it, one bad row refuses the whole run before anything is written.
	SkipBad bool
	// Deliver, when set, is called after each batch commits, with the
	// progress of the run and the keys of that batch's users
	// (those with the REST API on), in order, before the next batch
	// starts. The keys exist nowhere else: Deliver writes them out or they
	// are lost. An error stops the run after that batch.
	Deliver func(p BulkProgress, keys []onboard.Issued) error
}

// BulkProgress is how far a bulk run has come: Done of Total users created.
type BulkProgress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// BulkResult is what a bulk run did.
type BulkResult struct {
	Total   int // users to create: the rows, less the skipped ones
	Created int // users created
	Skipped int // bad rows left out (SkipBad)
}

// CreateBulk creates the API users of a bulk run: it checks every row
// (CheckBulk) and refuses the run while any is bad, unless SkipBad; makes a
// key for each user with the REST API on; then creates the users in
// batches of BulkBatch, each batch one transaction with one audit record
// per user, and hands each batch's keys to Deliver. When ctx is cancelled
// the run stops after the current batch with an error that wraps
// ctx.Err(); the result says how many were created.
func (s *Service) CreateBulk(ctx context.Context, a access.Actor, rows []onboard.Row, d BulkDefaults, opt BulkOptions) (BulkResult, error) {
	var res BulkResult
	checks, err := s.CheckBulk(a, rows, d)
	if err != nil {
		return res, err
	}
	ins := make([]APIUserInput, 0, len(checks))
	for _, c := range checks {
		if len(c.Errors) > 0 {
			res.Skipped++
			continue
		}
		ins = append(ins, c.Input)
	}
	if res.Skipped > 0 && !opt.SkipBad {
		return BulkResult{}, apperr.New(apperr.Invalid, "%d of %d rows have errors: fix them, or skip the bad rows",
			res.Skipped, len(checks))
	}
	if len(ins) == 0 {
		return res, apperr.New(apperr.Invalid, "There is no row to create")
	}
	res.Total = len(ins)
	keys := make([]apikey.Key, len(ins))
	for i := range ins {
		if ins[i].RESTEnabled {
			if keys[i], err = apikey.Generate(); err != nil {
				return res, err
			}
		}
	}
	var deliver func(start, end int) error
	if opt.Deliver != nil {
		deliver = func(start, end int) error {
			batch := make([]onboard.Issued, 0, end-start)
			for i := start; i < end; i++ {
				if ins[i].RESTEnabled {
					batch = append(batch, onboard.Issued{Username: ins[i].Username, Host: ins[i].Host,
						Key: keys[i].String(), SSHPublicKey: ins[i].SSHPublicKey})
				}
			}
			return opt.Deliver(BulkProgress{Done: end, Total: len(ins)}, batch)
		}
	}
	res.Created, err = s.createBatches(ctx, a, ins, keys, deliver)
	return res, err
}

// createBatches creates ins[i] with keys[i] in batches, each one
// transaction with one audit record per user. It checks ctx before each
// batch and calls after(start, end) once a batch has committed.
func (s *Service) createBatches(ctx context.Context, a access.Actor, ins []APIUserInput, keys []apikey.Key, after func(start, end int) error) (int, error) {
	if _, err := s.index(); err != nil { // read here, not in a batch (certFree)
		return 0, err
	}
	done := 0
	for start := 0; start < len(ins); start += bulkBatch {
		if err := ctx.Err(); err != nil {
			return done, fmt.Errorf("bulk create stopped after %d of %d users: %w", done, len(ins), err)
		}
		end := min(start+bulkBatch, len(ins))
		var refused audit.Record
		err := s.st.Update(func(tx *store.Txn) error {
			p, err := s.Resolve(tx, a)
			if err != nil {
				return err
			}
			if err := mayManage(p, KindAPI); err != nil {
				return err
			}
			for i := start; i < end; i++ {
				if _, err := s.createAPIUserIn(tx, p, ins[i], &keys[i]); err != nil {
					if e := apperr.As(err); e != nil {
						refused = record(a, p.FullName, "create api user", ins[i].Username)
						refused.Result, refused.Reason = audit.Failure, "bulk: "+e.Message
						return apperr.Wrap(e.Code, err, "Line %d (%s): %s", i+1, ins[i].Username, e.Message)
					}
					return err
				}
				r := record(a, p.FullName, "create api user", ins[i].Username)
				r.Result, r.Reason = audit.Success, "bulk"
				if _, err := s.audit.Append(tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			if refused.Operation != "" {
				// The batch rolled back; the refusal is audited on its own.
				s.audit.Record(s.st, refused)
			}
			return done, err
		}
		done = end
		if after != nil {
			if err := after(start, end); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

// createAPIUserIn validates and writes one API user inside tx.
func (s *Service) createAPIUserIn(tx *store.Txn, p access.Principal, in APIUserInput, key *apikey.Key) (*User, error) {
	now := s.clock().UTC()
	if id, ok := roleIDOf(tx, in.Role); ok {
		in.Role = id
	}
	var f apperr.Form
	host, ssh, cert := in.validate(&f, true, now, nil)
	if in.RESTEnabled && key == nil {
		f.Add("apiKey", "API Key: generate a key, or turn the REST API off")
	}
	s.certFree(&f, cert, in.Username)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := usernameFree(tx, in.Username); err != nil {
		return nil, err
	}
	if err := s.checkGrant(tx, p, nil, in.Role, in.Scope); err != nil {
		return nil, err
	}
	u := &User{ID: newID(), Username: in.Username, Kind: KindAPI, FullName: in.FullName, Email: in.Email, Host: host,
		Role: in.Role, Scope: in.Scope, SSHKey: ssh, Certificate: cert, RESTEnabled: in.RESTEnabled,
		Department: in.Department, Location: in.Location, CreatedAt: now, UpdatedAt: now, CreatedBy: p.Username}
	if in.RESTEnabled {
		if err := s.setKey(tx, u, *key, in.expiry()); err != nil {
			return nil, err
		}
	}
	return u, s.put(tx, u)
}
