package restapi_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// clientCert makes a self-signed client certificate valid until notAfter
// and writes cert.pem and key.pem into a temporary directory.
func clientCert(t *testing.T, cn string, notAfter time.Time) (certPEM, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, []byte(certPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPEM, certFile, keyFile
}

// certWorld serves the API with a resource shared with an API user bound
// to 127.0.0.1 that holds a client certificate (and no REST key).
func certWorld(t *testing.T, role string) (l *loopback, certFile, keyFile string, notAfter time.Time) {
	t.Helper()
	l = serve(t, 1000, "")
	notAfter = l.Clock.Now().AddDate(0, 1, 0)
	pemText, certFile, keyFile := clientCert(t, "svc@web01", notAfter)
	if _, err := l.Users.CreateAPIUser(l.AdminActor, users.APIUserInput{Username: "svc@web01", Host: "127.0.0.1", FullName: "Cert Svc",
		Role: role, Scope: access.ScopeOwnedShared, Certificate: pemText}, nil); err != nil {
		t.Fatal(err)
	}
	r, err := l.Vault.CreateResource(l.AdminActor, vault.ResourceInput{Name: "db01"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Vault.CreateAccount(l.AdminActor, r.ID, vault.AccountInput{Name: "postgres", Password: "s3cr3t-pg"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Vault.Share(l.AdminActor, vault.ShareInput{ResourceID: r.ID, Grantee: "svc@web01", Permission: vault.View}); err != nil {
		t.Fatal(err)
	}
	return l, certFile, keyFile, notAfter
}

func curl(t *testing.T, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed")
	}
	out, err := exec.Command("curl", append([]string{"-sk", "--max-time", "10"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("curl %v: %v %s", args, err, out)
	}
	return string(out)
}

func TestAClientCertificateAuthenticatesWithoutAnAPIKey(t *testing.T) {
	t.Parallel()
	l, certFile, keyFile, notAfter := certWorld(t, access.PasswordUser)
	url := l.base + "/resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres"
	if out := curl(t, "--cert", certFile, "--key", keyFile, url); !strings.Contains(out, `"status":"Success"`) {
		t.Fatalf("with the certificate: %s", out)
	}
	if out := curl(t, url); !strings.Contains(out, users.MsgUnknownKey) {
		t.Fatalf("without a certificate or key: %s", out)
	}
	_, otherCert, otherKey := clientCert(t, "stranger", notAfter)
	if out := curl(t, "--cert", otherCert, "--key", otherKey, url); !strings.Contains(out, users.MsgUnknownCert) {
		t.Fatalf("an unknown certificate: %s", out)
	}
	l.Clock.Advance(45 * 24 * time.Hour)
	if out := curl(t, "--cert", certFile, "--key", keyFile, url); !strings.Contains(out, users.MsgCertExpired) {
		t.Fatalf("an expired certificate: %s", out)
	}
}

const pyClient = `
import ssl, sys, xmlrpc.client
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
p = xmlrpc.client.ServerProxy(sys.argv[1], context=ctx)
print(repr(p.pmp.password.retrieve("db01", "postgres", "nightly backup")))
print(repr(p.pmp.resources.create("web02", "Linux", "root", "r00t-pw", "made by a script")))
print(repr(p.pmp.resources.create("web02", "Linux", "root", "r00t-pw", "again")))
try:
    p.pmp.password.retrieve("nope", "root", "")
except xmlrpc.client.Fault as f:
    print("fault", f.faultCode, f.faultString)
`

func TestPythonsXMLRPCClientWithACertificate(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Fatal("python3 is needed")
	}
	l, certFile, keyFile, _ := certWorld(t, access.PasswordAdmin)
	endpoint := strings.TrimSuffix(l.base, "/restapi/json/v1") + "/xmlrpc"
	out, err := exec.Command("python3", "-c", pyClient, endpoint, certFile, keyFile).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	want := []string{
		"'s3cr3t-pg'",
		"{'resultCode': 0, 'message': 'Resource added successfully.'}",
		"{'resultCode': 1, 'message': 'Resource with the given resource name already exists.'}",
		"fault 404 " + vault.MsgNotFound,
	}
	if got := strings.Split(strings.TrimSpace(string(out)), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("python said:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	p, err := l.Trail.Query(l.AdminActor, audit.Filter{Actor: "svc@web01", Operation: "reveal password", Result: audit.Success}, 0, 10)
	if err != nil || len(p.Records) != 1 || p.Records[0].Reason != "reason: nightly backup" {
		t.Fatalf("audit: %+v %v", p.Records, err)
	}
	if pw, err := l.Vault.RevealPasswordByName(l.AdminActor, "web02", "root", vault.Purpose{}); err != nil || pw != "r00t-pw" {
		t.Fatalf("the created account: %q %v", pw, err)
	}
}

func TestXMLRPCWithoutACertificateOrWithADTDIsAFault(t *testing.T) {
	t.Parallel()
	l, certFile, keyFile, _ := certWorld(t, access.PasswordUser)
	endpoint := strings.TrimSuffix(l.base, "/restapi/json/v1") + "/xmlrpc"
	call := `<?xml version="1.0"?><methodCall><methodName>pmp.password.retrieve</methodName><params>` +
		`<param><value><string>db01</string></value></param><param><value>postgres</value></param></params></methodCall>`
	if out := curl(t, "-d", call, endpoint); !strings.Contains(out, "<int>401</int>") {
		t.Fatalf("no certificate: %s", out)
	}
	if out := curl(t, "--cert", certFile, "--key", keyFile, "-d", call, endpoint); !strings.Contains(out, "<string>s3cr3t-pg</string>") {
		t.Fatalf("with the certificate: %s", out)
	}
	xxe := `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall><methodName>pmp.password.retrieve</methodName>` +
		`<params><param><value><string>&x;</string></value></param><param><value>postgres</value></param></params></methodCall>`
	if out := curl(t, "--cert", certFile, "--key", keyFile, "-d", xxe, endpoint); !strings.Contains(out, "DTDs and entities are not accepted") ||
		strings.Contains(out, "root:") {
		t.Fatalf("a DTD: %s", out)
	}
}

func TestXMLRPCCreateNeedsThePermissionToAddResources(t *testing.T) {
	t.Parallel()
	l, certFile, keyFile, _ := certWorld(t, access.PasswordUser)
	endpoint := strings.TrimSuffix(l.base, "/restapi/json/v1") + "/xmlrpc"
	call := `<?xml version="1.0"?><methodCall><methodName>pmp.resources.create</methodName><params>` +
		`<param><value>web09</value></param><param><value>Linux</value></param>` +
		`<param><value>root</value></param><param><value>pw</value></param></params></methodCall>`
	out := curl(t, "--cert", certFile, "--key", keyFile, "-d", call, endpoint)
	if !strings.Contains(out, "<int>403</int>") || !strings.Contains(out, "You are not allowed to add resources") {
		t.Fatalf("a Password User created a resource: %s", out)
	}
	if _, err := l.Vault.ResourceIDByName(l.AdminActor, "web09"); err == nil {
		t.Fatal("the resource exists")
	}
}
