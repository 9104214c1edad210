package desktop

import (
	"hostbound/backend/access"
	"hostbound/backend/services"
	"hostbound/backend/settings"
)

// KeyValidity is the "Default key validity" setting: how many days ahead
// a new API user's key expires unless the operator chooses otherwise.
type KeyValidity struct {
	Days int `json:"days"`
	Min  int `json:"min"`
	Max  int `json:"max"`
}

func keyValidity(v settings.Validity) KeyValidity {
	return KeyValidity{Days: v.Days, Min: settings.MinKeyValidityDays, Max: settings.MaxKeyValidityDays}
}

// GetKeyValidity returns the default key validity (Settings, and the Add
// API User form that pre-fills its Expiry Date with it).
func (v *Vault) GetKeyValidity() (KeyValidity, error) {
	var out KeyValidity
	err := v.run("view key validity setting", func(a access.Actor, svc *services.Services) error {
		set, err := svc.Settings.GetValidity(a)
		out = keyValidity(set)
		return err
	})
	return out, err
}

// SaveKeyValidity changes the default key validity (days, 1–3650).
func (v *Vault) SaveKeyValidity(days int) (KeyValidity, error) {
	err := v.run("change key validity setting", func(a access.Actor, svc *services.Services) error {
		return svc.Settings.SaveValidity(a, settings.Validity{Days: days})
	})
	if err != nil {
		return KeyValidity{}, err
	}
	return v.GetKeyValidity()
}
