package vault

import (
	"slices"
	"strings"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/passgen"
	"hostbound/backend/store"
)

// StandardTypes are the resource types offered before any is in use
// (PMP ships the like); a resource may have any type.
var StandardTypes = []string{
	"Linux", "Windows", "Windows Domain", "MS SQL Server", "MySQL", "Oracle DB Server", "PostgreSQL",
	"Cisco IOS", "Juniper Netscreen Firewall", "VMware ESXi", "AWS IAM", "Azure", "Google Cloud",
	"Web Site Accounts", "File Store", "License Store", "Generic Keys",
}

// ResourceTypes returns the standard types and the types of the resources
// a sees, sorted by name (a type no visible resource has stays unsaid).
func (s *Service) ResourceTypes(a access.Actor) ([]string, error) {
	out := slices.Clone(StandardTypes)
	err := s.read(a, "list resource types", "", func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		rs, err := listResources(tx, p)
		for _, r := range rs {
			if t := strings.TrimSpace(r.Type); t != "" && !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, t) }) {
				out = append(out, t)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, nil
}

// GeneratePassword returns a fresh password of the named policy (blank:
// passgen.DefaultPolicy) to any user; the password is not kept, and the
// audit record names only the policy.
func (s *Service) GeneratePassword(a access.Actor, policy string) (string, error) {
	var pw string
	err := s.read(a, "generate password", policy, func(_ *store.Txn, _ access.Principal, rec *audit.Record) error {
		p, err := passgen.Find(policy)
		if err != nil {
			return apperr.Field("policy", "Policy: one of %s", strings.Join(passgen.Names(), ", "))
		}
		rec.Target = p.Name
		pw = p.Generate()
		return nil
	})
	return pw, err
}

// AccessRequest is a pending request for a password that needs approval.
type AccessRequest struct {
	ResourceID, AccountID uint64
	Requester, Reason     string
}

// PasswordAccessRequests lists the password requests waiting for a's
// approval. Hostbound has no approval workflow: a password is shared or it
// is not, so the list is empty for everyone; the call is still
// authenticated and audited like any other.
func (s *Service) PasswordAccessRequests(a access.Actor) ([]AccessRequest, error) {
	err := s.read(a, "list password access requests", "", func(*store.Txn, access.Principal, *audit.Record) error { return nil })
	if err != nil {
		return nil, err
	}
	return []AccessRequest{}, nil
}
