package settings_test

import (
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/services"
	"hostbound/backend/settings"
)

func TestTheRESTSettingsAreReadAndChangedByTheirHoldersOnly(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pu := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
	adm := w.Operator(t, "adm", access.Admin, access.ScopeOwnedShared)

	if _, err := w.Settings.GetREST(pu); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a Password User read the REST settings: %v", err)
	}
	if _, err := w.Settings.GetREST(adm); err != nil {
		t.Errorf("an Administrator (who hands out keys) cannot read them: %v", err)
	}
	set := settings.REST{Listen: "127.0.0.1:7443", Enabled: true, TrustedProxies: "10.0.0.0/8"}
	if err := w.Settings.SaveREST(adm, set); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an Administrator changed security settings: %v", err)
	}
	bad := settings.REST{Listen: "nowhere", TrustedProxies: "x"}
	e := apperr.As(w.Settings.SaveREST(w.AdminActor, bad))
	if e == nil || len(e.Fields) != 2 || e.Fields[0].Field != "listen" || e.Fields[1].Field != "trustedProxies" {
		t.Errorf("bad settings: %+v", e)
	}
	if err := w.Settings.SaveREST(w.AdminActor, set); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Settings.CurrentREST(); err != nil || got != set {
		t.Errorf("stored: %+v %v", got, err)
	}
}

func TestTheDefaultAddressIsThisMachineOnly(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	clock := testenv.NewClock()
	svc, err := services.New(st, testenv.Key(t), services.Config{Clock: clock.Now, Hasher: testdomain.FastHasher, Resolver: testdomain.LocalDNS})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	got, err := svc.Settings.CurrentREST()
	if err != nil || got.Listen != "127.0.0.1:7272" || !got.Enabled {
		t.Fatalf("defaults: %+v %v", got, err)
	}
}

func TestTheCertificateIsMadeOnceAndKept(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	_, fp1, err := w.Settings.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	_, fp2, err := w.Settings.Certificate()
	if err != nil || fp1 != fp2 || len(fp1) != 95 {
		t.Fatalf("fingerprints %q %q %v", fp1, fp2, err)
	}
}
