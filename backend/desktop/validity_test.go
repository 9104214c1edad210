package desktop

import (
	"testing"

	"hostbound/backend/apperr"
)

func TestTheDefaultKeyValidityIsSavedAndSurvivesARestart(t *testing.T) {
	t.Parallel()
	r, s, _ := loggedIn(t)
	v := NewVault(s.Session)
	if got, err := v.GetKeyValidity(); err != nil || got != (KeyValidity{Days: 90, Min: 1, Max: 3650}) {
		t.Fatalf("default: %+v, %v", got, err)
	}
	if got, err := v.SaveKeyValidity(30); err != nil || got.Days != 30 {
		t.Fatalf("save: %+v, %v", got, err)
	}
	s.close()
	s2 := r.start(t)
	if _, err := s2.LogIn(setup.Username, setup.Password); err != nil {
		t.Fatal(err)
	}
	if got, err := NewVault(s2.Session).GetKeyValidity(); err != nil || got.Days != 30 {
		t.Fatalf("after a restart: %+v, %v", got, err)
	}
}

func TestABadDefaultKeyValidityNamesTheFieldAndTheRule(t *testing.T) {
	t.Parallel()
	_, s, _ := loggedIn(t)
	v := NewVault(s.Session)
	for _, days := range []int{0, 5000} {
		e := uiErr(t, second(v.SaveKeyValidity(days)))
		if e.Code != apperr.Invalid || e.Field != "keyValidityDays" || e.Message != "Default key validity: a whole number of days from 1 to 3650" {
			t.Errorf("%d days: %+v", days, e)
		}
	}
	if got, err := v.GetKeyValidity(); err != nil || got.Days != 90 {
		t.Fatalf("a refused save was stored: %+v, %v", got, err)
	}
}

func TestAPasswordAdministratorCannotChangeTheDefaultKeyValidity(t *testing.T) {
	t.Parallel()
	_, s, u := loggedIn(t)
	logInAsNew(t, s, u, "pam", "Pam Passwords", "password_admin")
	v := NewVault(s.Session)
	if e := uiErr(t, second(v.SaveKeyValidity(30))); e.Code != apperr.Forbidden {
		t.Fatalf("save as a Password Administrator: %+v", e)
	}
}
