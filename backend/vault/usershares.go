package vault

import (
	"cmp"
	"errors"
	"slices"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// UserShare is one share held by a user: a whole resource (AccountID 0)
// or one of its accounts.
type UserShare struct {
	ResourceID   uint64     `json:"resourceId"`
	ResourceName string     `json:"resourceName"`
	AccountID    uint64     `json:"accountId"`   // 0: the whole resource
	AccountName  string     `json:"accountName"` // '' for the whole resource
	Permission   Permission `json:"permission"`
}

// SharesOfUser lists the shares that the user named username holds, as a
// may see them: only shares of resources a may manage (who may manage a
// resource is who sees its shares, as in GetResource), so a never learns
// of a resource it could not see. A user a may not see is the caller's
// check (users.Get); an unknown username answers no shares.
func (s *Service) SharesOfUser(a access.Actor, username string) ([]UserShare, error) {
	out := []UserShare{}
	err := s.read(a, "view user shares", username, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		id, _, err := s.users.UserID(tx, username)
		if err != nil || id == "" {
			return nil //nolint:nilerr // no such user: no shares to tell of
		}
		cache := map[uint64]*Resource{}
		return tx.Each(granteePrefix(id), func(key string, decode func(any) error) (bool, error) {
			rid, aid, ok := parseShareKey(key)
			if !ok {
				return true, nil
			}
			r, seen := cache[rid]
			if !seen {
				var res Resource
				if err := tx.Get(resKey(rid), &res); err != nil {
					if !errors.Is(err, store.ErrNotFound) {
						return false, err
					}
				} else if mayManage(p, res) == nil {
					r = &res
				}
				cache[rid] = r
			}
			if r == nil {
				return true, nil
			}
			var sh share
			if err := decode(&sh); err != nil {
				return false, err
			}
			us := UserShare{ResourceID: rid, ResourceName: r.Name, AccountID: aid, Permission: sh.Permission}
			if aid != 0 {
				var acct Account
				if err := tx.Get(acctKey(rid, aid), &acct); err != nil {
					if errors.Is(err, store.ErrNotFound) {
						return true, nil
					}
					return false, err
				}
				us.AccountName = acct.Name
			}
			out = append(out, us)
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y UserShare) int {
		return cmp.Or(cmp.Compare(x.ResourceName, y.ResourceName), cmp.Compare(x.AccountName, y.AccountName))
	})
	return out, nil
}
