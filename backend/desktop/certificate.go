package desktop

import (
	"time"

	"hostbound/backend/access"
	"hostbound/backend/services"
	"hostbound/backend/settings"
)

// CertificateView is the REST API's server certificate in Settings. Times
// are RFC 3339.
type CertificateView struct {
	Fingerprint string `json:"fingerprint"`
	Subject     string `json:"subject"`
	NotAfter    string `json:"notAfter"`
	// Imported: the operator's own certificate (never renewed by
	// Hostbound); otherwise self-signed, renewed 30 days before NotAfter.
	Imported bool `json:"imported"`
}

func certificateView(c settings.CertInfo) CertificateView {
	return CertificateView{Fingerprint: c.Fingerprint, Subject: c.Subject, NotAfter: c.NotAfter.UTC().Format(time.RFC3339), Imported: c.Imported}
}

// GetServerCertificate describes the certificate the REST API serves.
func (v *Vault) GetServerCertificate() (CertificateView, error) {
	var out CertificateView
	err := v.run("view server certificate", func(a access.Actor, svc *services.Services) error {
		c, err := svc.Settings.CertificateInfo(a)
		out = certificateView(c)
		return err
	})
	return out, err
}

// ImportServerCertificate serves the operator's own certificate and key
// (PEM) from now on; the REST API restarts with it.
func (v *Vault) ImportServerCertificate(certPEM, keyPEM string) (CertificateView, error) {
	return v.changeCertificate("import server certificate", func(a access.Actor, svc *services.Services) error {
		return svc.Settings.ImportCertificate(a, certPEM, keyPEM)
	})
}

// UseSelfSignedCertificate goes back to a fresh self-signed certificate.
func (v *Vault) UseSelfSignedCertificate() (CertificateView, error) {
	return v.changeCertificate("use self-signed server certificate", func(a access.Actor, svc *services.Services) error {
		return svc.Settings.UseSelfSigned(a)
	})
}

func (v *Vault) changeCertificate(op string, change func(a access.Actor, svc *services.Services) error) (CertificateView, error) {
	var out CertificateView
	err := v.run(op, func(a access.Actor, svc *services.Services) error {
		if err := change(a, svc); err != nil {
			return err
		}
		// A failure to listen shows in the REST API's status.
		_ = v.s.cfg.API.Restart()
		c, err := svc.Settings.CertificateInfo(a)
		out = certificateView(c)
		return err
	})
	return out, err
}
