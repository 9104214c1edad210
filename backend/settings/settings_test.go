package settings_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

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

// serverPair makes a PEM certificate and key valid from..to.
func serverPair(t *testing.T, from, to time.Time) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(from.UnixNano()), Subject: pkix.Name{CommonName: "vault.example.com"},
		NotBefore: from, NotAfter: to, DNSNames: []string{"vault.example.com"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
}

func TestAnOperatorsOwnCertificateIsServedAsItIs(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	now := w.Clock.Now()
	certPEM, keyPEM := serverPair(t, now.Add(-time.Hour), now.AddDate(0, 2, 0))
	_, otherKey := serverPair(t, now.Add(-time.Hour), now.AddDate(0, 2, 0))
	oldCert, oldKey := serverPair(t, now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0))
	for _, c := range []struct{ name, cert, key string }{
		{"a key that is not the certificate's", certPEM, otherKey},
		{"an expired certificate", oldCert, oldKey},
		{"no PEM at all", "hello", "world"},
	} {
		t.Run(c.name+" is refused on the certificate field", func(t *testing.T) {
			e := apperr.As(w.Settings.ImportCertificate(w.AdminActor, c.cert, c.key))
			if e == nil || e.Field != "certificate" {
				t.Fatalf("got %+v", e)
			}
		})
	}
	adm := w.Operator(t, "adm", access.Admin, access.ScopeOwnedShared)
	if err := w.Settings.ImportCertificate(adm, certPEM, keyPEM); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("an Administrator imported a certificate: %v", err)
	}
	if err := w.Settings.ImportCertificate(w.AdminActor, certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	info, err := w.Settings.CertificateInfo(w.AdminActor)
	if err != nil || !info.Imported || info.Subject != "CN=vault.example.com" {
		t.Fatalf("info: %+v %v", info, err)
	}
	w.Clock.Advance(50 * 24 * time.Hour) // within 30 days of its expiry: still served, never renewed
	if again, _ := w.Settings.CertificateInfo(w.AdminActor); again.Fingerprint != info.Fingerprint {
		t.Fatal("an imported certificate was replaced")
	}
	if err := w.Settings.UseSelfSigned(w.AdminActor); err != nil {
		t.Fatal(err)
	}
	if back, _ := w.Settings.CertificateInfo(w.AdminActor); back.Imported || back.Fingerprint == info.Fingerprint {
		t.Fatalf("back to self-signed: %+v", back)
	}
}

func TestTheSelfSignedCertificateIsRenewedBeforeItExpires(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	first, err := w.Settings.CertificateInfo(w.AdminActor)
	if err != nil {
		t.Fatal(err)
	}
	w.Clock.Advance(first.NotAfter.Sub(w.Clock.Now()) - 40*24*time.Hour)
	if same, _ := w.Settings.CertificateInfo(w.AdminActor); same.Fingerprint != first.Fingerprint {
		t.Fatal("renewed 40 days before expiry")
	}
	w.Clock.Advance(15 * 24 * time.Hour)
	renewed, _ := w.Settings.CertificateInfo(w.AdminActor)
	if renewed.Fingerprint == first.Fingerprint || !renewed.NotAfter.After(first.NotAfter) {
		t.Fatalf("not renewed 25 days before expiry: %+v", renewed)
	}
}
