package settings

import (
	"errors"
	"fmt"
	"strconv"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// The default key validity: how many days ahead a new API user's key
// expires unless the operator chooses otherwise (Add API User pre-fills the
// Expiry Date with it). "Never expires" is a choice made per key, never the
// default.
const (
	DefaultKeyValidityDays = 90
	MinKeyValidityDays     = 1
	MaxKeyValidityDays     = 3650
)

const validityKey = "settings/keyvalidity"

// Validity is the key-validity setting.
type Validity struct {
	Days int `json:"days"`
}

// Validate checks the range, naming the field and the rule.
func (v Validity) Validate() error {
	var f apperr.Form
	if v.Days < MinKeyValidityDays || v.Days > MaxKeyValidityDays {
		f.Add("keyValidityDays", "Default key validity: a whole number of days from %d to %d", MinKeyValidityDays, MaxKeyValidityDays)
	}
	return f.Err()
}

func (s *Service) validity(tx *store.Txn) (Validity, error) {
	out := Validity{Days: DefaultKeyValidityDays}
	err := tx.Get(validityKey, &out)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	if out.Days < MinKeyValidityDays || out.Days > MaxKeyValidityDays {
		out.Days = DefaultKeyValidityDays
	}
	return out, err
}

// GetValidity returns the default key validity to a who may see the
// settings (those who hand out API keys among them).
func (s *Service) GetValidity(a access.Actor) (Validity, error) {
	var out Validity
	err := s.audit.Read(s.st, s.resolver, a, "view key validity setting", "", func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		if err := mayView(p); err != nil {
			return err
		}
		var err error
		out, err = s.validity(tx)
		return err
	})
	return out, err
}

// SaveValidity stores a new default key validity for a holder of
// settings.manage.
func (s *Service) SaveValidity(a access.Actor, set Validity) error {
	err := s.audit.Act(s.st, s.resolver, a, "change key validity setting", strconv.Itoa(set.Days)+" days", func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		if !p.Has(access.SettingsManage) {
			return apperr.New(apperr.Forbidden, "You are not allowed to change security settings")
		}
		if err := set.Validate(); err != nil {
			return err
		}
		return tx.Put(validityKey, set)
	})
	if err != nil && apperr.As(err) == nil {
		return fmt.Errorf("save key validity setting: %w", err)
	}
	return err
}
