package settings_test

import (
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/settings"
)

func TestTheDefaultKeyValidityIsNinetyDaysUntilChanged(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	got, err := w.Settings.GetValidity(w.AdminActor)
	if err != nil || got.Days != 90 {
		t.Fatalf("default: %+v %v", got, err)
	}
}

func TestTheDefaultKeyValidityIsOneToThreeThousandSixHundredFiftyDays(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	for _, c := range []struct {
		days int
		ok   bool
	}{{0, false}, {-1, false}, {1, true}, {3650, true}, {3651, false}, {5000, false}} {
		err := w.Settings.SaveValidity(w.AdminActor, settings.Validity{Days: c.days})
		if c.ok && err != nil {
			t.Errorf("%d days refused: %v", c.days, err)
		}
		if !c.ok {
			e := apperr.As(err)
			if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "keyValidityDays" ||
				e.Fields[0].Message != "Default key validity: a whole number of days from 1 to 3650" {
				t.Errorf("%d days: %+v", c.days, e)
			}
		}
	}
}

func TestTheDefaultKeyValidityIsChangedByASettingsManagerAndKept(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pu := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
	adm := w.Operator(t, "adm", access.Admin, access.ScopeOwnedShared)

	if _, err := w.Settings.GetValidity(pu); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a Password User read the key validity: %v", err)
	}
	if _, err := w.Settings.GetValidity(adm); err != nil {
		t.Errorf("an Administrator (who hands out keys) cannot read it: %v", err)
	}
	if err := w.Settings.SaveValidity(adm, settings.Validity{Days: 30}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an Administrator changed a security setting: %v", err)
	}
	if err := w.Settings.SaveValidity(w.AdminActor, settings.Validity{Days: 30}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Settings.GetValidity(adm); err != nil || got.Days != 30 {
		t.Errorf("stored: %+v %v", got, err)
	}
	p, err := w.Trail.Query(w.AdminActor, audit.Filter{Operation: "change key validity setting"}, 0, 10)
	if err != nil || len(p.Records) != 2 || p.Records[0].Target != "30 days" || p.Records[0].Result != audit.Success ||
		p.Records[1].Actor != "adm" || p.Records[1].Result == audit.Success {
		t.Errorf("audit: %+v %v", p.Records, err)
	}
}
