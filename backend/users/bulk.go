package users

import (
	"fmt"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// bulkBatch users commit together: Badger caps a transaction's size, and a
// few hundred users with their audit records stay well under it.
const bulkBatch = 200

// CreateAPIUsers creates many API users (bulk onboarding: one per host),
// keys[i] for ins[i]. Each batch of users commits with its audit records;
// the first refused user stops the run, and the error names its line
// (1-based). It returns how many were created.
func (s *Service) CreateAPIUsers(a access.Actor, ins []APIUserInput, keys []apikey.Key) (int, error) {
	if len(ins) != len(keys) {
		return 0, fmt.Errorf("bulk create: %d users but %d keys", len(ins), len(keys))
	}
	done := 0
	for start := 0; start < len(ins); start += bulkBatch {
		end := min(start+bulkBatch, len(ins))
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
			return done, err
		}
		done = end
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
